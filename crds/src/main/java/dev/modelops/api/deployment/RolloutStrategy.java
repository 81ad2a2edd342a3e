package dev.modelops.api.deployment;

/** How a new version replaces the serving one. */
public enum RolloutStrategy {
    Canary, Immediate
}
