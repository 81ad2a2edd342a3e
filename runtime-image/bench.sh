#!/usr/bin/env bash
# The runtime benchmark, in one run: raw in-process ONNX Runtime at 1 thread and at ONNX Runtime's default threads
# (batch 1, 8, 32), then the server with its DEFAULT settings over JSON, binary tensors (wrk) and gRPC (a Java client)
# at concurrency 1, 8 and 32, each after a few seconds of the same load, on a small (4-16-3) and a heavy
# (256-1024-1024-10) MLP, and the HTTP floor (GET /v2/health/live). Prints a Markdown table.
# Needs wrk (Debian: apt-get install -y wrk). Takes about 8 minutes with the default BENCH_SECONDS=5.
# Usage (from the repository root or from runtime-image/): runtime-image/bench.sh
# BENCH_SERVER_ENV=MODELOPS_INTRA_OP_THREADS=1 runtime-image/bench.sh compares another server setting.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
./mvnw -B -q -pl runtime-image -am -DskipTests package
cd runtime-image
# A short class path: the jar's manifest names its dependencies in target/lib.
exec java -cp "target/modelops-runtime-0.1.0-SNAPSHOT.jar:target/test-classes" dev.modelops.runtime.bench.Benchmark
