package dev.modelops.runtime;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Starts a class of this module in a separate JVM. The class path goes through a manifest-only jar: ONNX Runtime
 * 1.29 crashes (SIGSEGV) while loading in a JVM whose java.class.path is longer than about 3.5 KB at the default
 * thread stack size, and the test class path is far longer than the image's.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static List<String> command(Path scratch, Class<?> main) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String url = Path.of(entry).toUri().toString();
            entries.add(Files.isDirectory(Path.of(entry)) && !url.endsWith("/") ? url + "/" : url);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
        Path jar = Files.createTempFile(scratch, "classpath", ".jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out,
                        manifest)) {
            // a manifest and nothing else
        }
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + scratch, "-cp", jar.toString(), main.getName()));
    }
}
