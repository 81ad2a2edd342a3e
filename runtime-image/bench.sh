#!/usr/bin/env bash
# The runtime benchmark: raw ONNX Runtime vs the server under wrk, batching on and off, small and heavy MLP.
# Needs wrk (Debian: apt-get install -y wrk). Takes about 4 minutes with the default BENCH_SECONDS=5.
# Usage (from the repository root or from runtime-image/): runtime-image/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
./mvnw -B -q -o -pl runtime-image -DskipTests package
cd runtime-image
# A short class path: the jar's manifest names its dependencies in target/lib.
exec java -cp "target/modelops-runtime-0.1.0-SNAPSHOT.jar:target/test-classes" dev.modelops.runtime.bench.Benchmark
