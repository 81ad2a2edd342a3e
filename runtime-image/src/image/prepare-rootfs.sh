#!/usr/bin/env bash
# Builds the root file system of the offline image (the image-tar profile): a jlinked JRE under /opt/java, the
# C libraries it and ONNX Runtime link against (glibc, libstdc++, libgcc, zlib) from Debian packages, /bin/sh (dash:
# ONNX Runtime 1.29 popen()s a shell while it creates its environment and crashes when there is none), a CA bundle
# (https:// and s3:// fetches), passwd entries for the non-root user, and /tmp.
# Needs a JDK 17 with jmods (Debian: openjdk-17-jdk) and apt (apt-get download; no root needed).
# Usage: src/image/prepare-rootfs.sh <output directory> [more JDK modules, comma-separated]
# (the operator image adds jdk.zipfs: Quarkus reads its application through the jar: file system)
set -euo pipefail
out="$1"
more="${2:+,$2}"
jdk="${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
work="$(dirname "$out")/image-debs"
rm -rf "$out" "$work"
mkdir -p "$out/opt" "$out/tmp" "$work"
"$jdk/bin/jlink" --add-modules java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.unsupported$more \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/opt/java"
(cd "$work" && apt-get download -q libc6 libstdc++6 libgcc-s1 zlib1g dash >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$out"; done
# Documentation and locale data are not needed at run time; dangling links would fail Jib.
rm -rf "$out/usr/share"
# Debian's dash ships the /bin/sh link; make sure of it.
ln -sfn dash "$out/bin/sh"
mkdir -p "$out/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"
find "$out" -xtype l -delete
# Debian 12 is usr-merged: the loader path programs use is /lib64/ld-linux-x86-64.so.2, a link into /lib.
test -e "$out/lib64/ld-linux-x86-64.so.2" -o -L "$out/lib64/ld-linux-x86-64.so.2"
echo "rootfs ready: $(du -sh "$out" | cut -f1)"
