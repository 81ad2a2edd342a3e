package dev.modelops.operator.training;

import java.net.URI;

/**
 * An artifact or dataset location. {@code pvc://claim/path} is mounted into pods at {@code /mnt/pvc/<claim>}; the
 * other schemes are handed to the program as they are.
 */
record StorageLocation(String scheme, String claim, String path) {

    static final String PVC_MOUNT_ROOT = "/mnt/pvc";

    static StorageLocation parse(String uri) {
        URI parsed = URI.create(uri);
        String path = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
        return new StorageLocation(parsed.getScheme(), parsed.getHost(), path);
    }

    boolean isPvc() {
        return "pvc".equals(scheme);
    }

    String mountPath() {
        return PVC_MOUNT_ROOT + "/" + claim;
    }

    String localPath() {
        return path.isEmpty() ? mountPath() : mountPath() + "/" + path;
    }

    String volumeName() {
        return "pvc-" + claim;
    }
}
