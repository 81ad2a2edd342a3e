package dev.modelops.operator.common;

import java.net.URI;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/**
 * An artifact or dataset location. {@code pvc://claim/path} is mounted into pods at {@code /mnt/pvc/<claim>}; the
 * other schemes are handed to the program as they are.
 */
public record StorageLocation(String scheme, String claim, String path) {

    public static final String PVC_MOUNT_ROOT = "/mnt/pvc";

    public static StorageLocation parse(String uri) {
        URI parsed = URI.create(uri);
        String path = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
        return new StorageLocation(parsed.getScheme(), parsed.getHost(), path);
    }

    public boolean isPvc() {
        return "pvc".equals(scheme);
    }

    public String mountPath() {
        return PVC_MOUNT_ROOT + "/" + claim;
    }

    public String localPath() {
        return path.isEmpty() ? mountPath() : mountPath() + "/" + path;
    }

    public String volumeName() {
        return "pvc-" + claim;
    }

    /** The claim as a pod volume. */
    public Volume volume(boolean readOnly) {
        return new VolumeBuilder().withName(volumeName()).withNewPersistentVolumeClaim().withClaimName(claim)
                .withReadOnly(readOnly).endPersistentVolumeClaim().build();
    }

    /** The claim mounted at /mnt/pvc/<claim>. */
    public VolumeMount mount(boolean readOnly) {
        return new VolumeMountBuilder().withName(volumeName()).withMountPath(mountPath()).withReadOnly(readOnly)
                .build();
    }
}
