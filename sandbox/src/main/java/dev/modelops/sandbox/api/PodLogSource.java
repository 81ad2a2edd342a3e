package dev.modelops.sandbox.api;

/** Where {@code GET .../pods/<name>/log} reads from: the kubelet's log files. */
public interface PodLogSource {

    /** A pod's log; throws {@link IllegalArgumentException} with the API server's message for a bad request. */
    String read(String namespace, String pod, String container, boolean previous, Integer tailLines);
}
