package dev.modelops.api.deployment;

/** How traffic is split between tracks. */
public enum TrafficMode {
    Replicas, GatewayAPI
}
