package dev.modelops.api.common;

/** Model file formats the runtime can serve. */
public enum ArtifactFormat {
    onnx
}
