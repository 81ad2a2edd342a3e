package dev.modelops.api.deployment;

/** The deployment at a glance; Degraded after a rollback, until a new target version is set. */
public enum DeploymentPhase {
    Healthy, Progressing, Paused, Degraded
}
