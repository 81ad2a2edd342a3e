package dev.modelops.operator.common;

import io.fabric8.kubernetes.api.model.Pod;

/** What a pod's cached state says, read the way kubelet writes it. */
public final class Pods {

    private Pods() {
    }

    /**
     * Not being deleted and not in a final phase: its containers' last states may still come. A finished Job whose
     * pod is like this has a pod update on its way (the Job controller counts a pod only once it has terminated); a
     * pod being deleted, or in a final phase without a terminated container (refused by its kubelet, say), will not
     * report.
     */
    public static boolean mayStillReport(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getMetadata().getDeletionTimestamp() == null && !"Succeeded".equals(phase)
                && !"Failed".equals(phase);
    }
}
