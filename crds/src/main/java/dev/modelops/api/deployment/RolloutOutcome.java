package dev.modelops.api.deployment;

/** How a rollout ended. */
public enum RolloutOutcome {
    Promoted, RolledBack, Aborted
}
