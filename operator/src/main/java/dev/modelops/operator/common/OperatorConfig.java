package dev.modelops.operator.common;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Operator settings (application.properties, or MODELOPS_* environment variables). */
@ConfigMapping(prefix = "modelops")
public interface OperatorConfig {

    /** The runtime image: inference pods, their fetch init container, and validation Jobs run it. */
    @WithDefault("ghcr.io/modelops-dev/modelops-runtime:0.1.0")
    String runtimeImage();

    Validation validation();

    LeaderElection leaderElection();

    interface Validation {
        /** A validation Job running longer than this fails the version with ValidationTimedOut. */
        @WithDefault("5m")
        Duration timeout();

        /** Attempts for transient failures (artifact store unreachable) before the version fails. */
        @WithDefault("4")
        int maxAttempts();

        /** Wait before the second attempt; doubles for each later one. */
        @WithDefault("30s")
        Duration initialBackoff();

        @WithDefault("10m")
        Duration maxBackoff();
    }

    interface LeaderElection {
        /**
         * Whether replicas elect a leader through a Lease before reconciling. Off for a single replica; the Helm
         * chart turns it on when it runs more than one. Only the prod profile elects (see application.properties).
         */
        @WithDefault("false")
        boolean enabled();

        /** The Lease's name, in the operator's own namespace; one per installation. */
        @WithDefault("modelops-operator")
        String leaseName();
    }
}
