package dev.modelops.operator.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names of derived objects, kept within the limits DNS labels and pod host names impose. */
public final class KubeNames {

    private KubeNames() {
    }

    /** {@code name} if it fits in {@code max} characters, else a prefix plus a short stable hash of the whole. */
    public static String fit(String name, int max) {
        if (name.length() <= max) {
            return name;
        }
        String hash = sha256(name).substring(0, 8);
        String prefix = name.substring(0, max - hash.length() - 1).replaceAll("[-.]+$", "");
        return prefix + "-" + hash;
    }

    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** An environment-variable-safe upper-case form: "train-data" becomes "TRAIN_DATA". */
    public static String envName(String name) {
        return name.toUpperCase().replaceAll("[^A-Z0-9_]", "_");
    }
}
