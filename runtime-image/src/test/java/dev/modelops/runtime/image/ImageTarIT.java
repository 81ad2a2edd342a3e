package dev.modelops.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the image tar Jib built (profile image-tar): the container configuration says what Kubernetes will run, and
 * the layers hold the JRE and the application where the entrypoint expects them.
 */
class ImageTarIT {

    private static final Path TAR = Path.of("target/jib-image.tar");

    @Test
    void theImageRunsTheRuntimeAsANonRootUserOnPort8080() throws Exception {
        Map<String, byte[]> entries = untar(Files.newInputStream(TAR), name -> !name.endsWith(".tar.gz"));
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(entries.get("manifest.json")).get(0);
        JsonNode config = json.readTree(entries.get(manifest.get("Config").asText())).get("config");

        assertThat(config.get("User").asText()).isEqualTo("65532:65532");
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
        List<String> entrypoint = json.convertValue(config.get("Entrypoint"), List.class);
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).contains("-Djava.io.tmpdir=/tmp", "dev.modelops.runtime.RuntimeMain");
        assertThat(config.get("Cmd").toString()).isEqualTo("[\"serve\"]");
        assertThat(config.get("Env").toString()).contains("MODELOPS_PORT=8080");

        // The layers: an executable java, the dynamic loader, libstdc++ for ONNX Runtime, the jars, a /tmp.
        Map<String, Integer> modes = new HashMap<>();
        for (JsonNode layer : manifest.get("Layers")) {
            listLayer(entries, layer.asText(), modes);
        }
        assertThat(modes.get("opt/java/bin/java") & 0111).isNotZero();
        assertThat(modes.get("lib64/ld-linux-x86-64.so.2") & 0111).isNotZero();
        // ONNX Runtime popen()s a shell while it starts.
        assertThat(modes.get("bin/sh") & 0111).isNotZero();
        assertThat(modes).containsKeys("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "lib64/ld-linux-x86-64.so.2",
                "app/jib-classpath-file", "tmp/");
        assertThat(modes.keySet()).anyMatch(name -> name.matches("app/libs/onnxruntime-.*\\.jar"));
        assertThat(modes.keySet()).anyMatch(name -> name.matches("usr/lib/x86_64-linux-gnu/libstdc\\+\\+\\.so\\.6.*"));
        assertThat(modes.keySet()).anyMatch(name -> name.startsWith("app/classes/dev/modelops/runtime/"));
    }

    private static void listLayer(Map<String, byte[]> entries, String name, Map<String, Integer> modes)
            throws IOException {
        // Layers were skipped by untar (large); read them again from the outer tar one by one.
        try (InputStream outer = Files.newInputStream(TAR)) {
            forEach(outer, (entryName, mode, in) -> {
                if (entryName.equals(name)) {
                    forEach(new GZIPInputStream(in), (inner, innerMode, ignored) -> modes.put(inner.replaceFirst(
                            "^\\./", "").replaceFirst("^/", ""), innerMode));
                }
            });
        }
    }

    interface EntryVisitor {
        void visit(String name, int mode, InputStream content) throws IOException;
    }

    interface NameFilter {
        boolean keep(String name);
    }

    private static Map<String, byte[]> untar(InputStream in, NameFilter filter) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        forEach(in, (name, mode, content) -> {
            if (filter.keep(name)) {
                entries.put(name, content.readAllBytes());
            }
        });
        return entries;
    }

    /** A minimal ustar reader (with GNU long names): enough for what Jib writes. */
    private static void forEach(InputStream in, EntryVisitor visitor) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        while (in.readNBytes(header, 0, 512) == 512) {
            if (header[0] == 0) {
                return;
            }
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            int mode = Integer.parseInt(field(header, 100, 8).trim(), 8);
            long size = Long.parseLong(field(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            byte[] content = null;
            long padded = (size + 511) / 512 * 512;
            if (type == 'L') {
                content = in.readNBytes((int) padded);
                longName = new String(content, 0, (int) size).replace("\0", "");
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            BoundedStream body = new BoundedStream(in, size);
            visitor.visit(name, mode, body);
            body.skipRest();
            in.skipNBytes(padded - size);
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset);
    }

    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            left--;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the outer stream stays open
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }
    }

}
