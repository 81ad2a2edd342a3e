package dev.modelops.api.training;

/** Kubernetes image pull policies. */
public enum PullPolicy {
    Always, IfNotPresent, Never
}
