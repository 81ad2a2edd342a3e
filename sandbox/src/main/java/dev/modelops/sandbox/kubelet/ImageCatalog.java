package dev.modelops.sandbox.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images this kubelet can run, each a runnable jar on this machine: a container of that image runs as
 * {@code java -jar <jar> <args>}. An image is matched by its repository (any tag or digest). There is no registry
 * and no container engine: a pod naming any other image fails with a reason that says so.
 */
public final class ImageCatalog {

    /** One image: its repository, the jar that stands for it, and the environment its image would declare. */
    public record Image(String repository, Path jar, Map<String, String> env) {

        /** {@code repository@sha256:<digest of the jar>}: the image ID reported in pod status. */
        public String imageId() {
            try (InputStream in = Files.newInputStream(jar)) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0;) {
                    sha.update(buffer, 0, n);
                }
                return repository + "@sha256:" + HexFormat.of().formatHex(sha.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Map<String, Image> images = new LinkedHashMap<>();

    public ImageCatalog add(String repository, Path jar, Map<String, String> env) {
        images.put(repository, new Image(repository, jar.toAbsolutePath().normalize(), Map.copyOf(env)));
        return this;
    }

    public Optional<Image> find(String image) {
        return Optional.ofNullable(images.get(repository(image)));
    }

    public List<Image> all() {
        return List.copyOf(images.values());
    }

    /** {@code registry/name:tag@sha256:...} → {@code registry/name}. */
    static String repository(String image) {
        String name = image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        return name;
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        images.values().forEach(i -> sb.append(sb.length() == 0 ? "" : ", ").append(i.repository()));
        return sb.toString();
    }
}
