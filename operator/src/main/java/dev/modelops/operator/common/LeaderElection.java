package dev.modelops.operator.common;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Leader election for running more than one replica: the Quarkus Operator SDK looks this bean up at start (in the
 * profiles it elects in) and, when there is one, reconciles only while holding the Lease. The Lease lives in the
 * namespace the client runs in (the pod's own), so the chart grants Leases there only.
 * <p>
 * A replica that loses the Lease while running must stop reconciling at once, since another one may already lead: it
 * exits with status 1 and Kubernetes starts it again as a candidate. The SDK's own way to do that is a
 * {@code System.exit} from its stop callback, which also runs on an orderly shutdown, from inside the shutdown itself;
 * here an orderly shutdown just releases the Lease, and only a loss while running exits.
 */
@ApplicationScoped
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private volatile boolean shuttingDown;

    /** {@code null} when disabled: the SDK then starts the controllers at once. */
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        if (!config.leaderElection().enabled()) {
            return null;
        }
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaderElection().leaseName())
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.info("leading: reconciling starts"),
                        this::stoppedLeading, leader -> LOG.infof("the leader is %s", leader)))
                .build();
    }

    /** Before the SDK stops the operator (its observer has the default priority): the stop that follows is ours. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown = true;
    }

    void stoppedLeading() {
        if (shuttingDown) {
            LOG.info("shutting down: the Lease is released");
            return;
        }
        LOG.error("lost the Lease while running: exiting, so that only the new leader reconciles");
        Quarkus.asyncExit(1);
    }
}
