package dev.modelops.operator.deployment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.modelops.api.deployment.Gates;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.rollout.GateCheck;

/**
 * Pure: which version a deployment should serve. A pinned version is served once it is Ready, not rejected by this
 * deployment and through the gates; {@code Latest} takes the newest version that is all three. Versions that fail a
 * gate are returned as rejections to record, with the values in the reason, so no pod ever runs them.
 */
public final class VersionResolver {

    /** Why no version can be served now; the names are condition reasons. */
    public enum Problem {
        VersionNotFound, VersionNotReady, VersionFailed, VersionRejected, GateFailed, NoReadyVersion
    }

    /** A version that failed a gate and must be rejected for this deployment. */
    public record GateRejection(ModelVersion version, String message) {
    }

    /** Either {@code target} or {@code problem} with its message; plus the gate rejections to record. */
    public record Resolution(ModelVersion target, Problem problem, String message, List<GateRejection> rejections) {

        static Resolution of(ModelVersion target, List<GateRejection> rejections) {
            return new Resolution(target, null, null, rejections);
        }

        static Resolution problem(Problem problem, String message, List<GateRejection> rejections) {
            return new Resolution(null, problem, message, rejections);
        }
    }

    private VersionResolver() {
    }

    /**
     * @param versions the versions of the deployment's model (any name; matched on spec.model and spec.version)
     * @param stable the version serving on the stable track now, or null
     */
    public static Resolution resolve(DeploymentSettings settings, Collection<ModelVersion> versions,
            ModelVersion stable) {
        Gates gates = settings.rollout().getGates();
        List<ModelVersion> ofModel = versions.stream()
                .filter(v -> v.getSpec() != null && settings.model().equals(v.getSpec().getModel()))
                .sorted(Comparator.comparing((ModelVersion v) -> v.getSpec().getVersion()).reversed())
                .toList();
        List<GateRejection> rejections = new ArrayList<>();
        if (!settings.followLatest()) {
            int wanted = settings.pinnedVersion();
            ModelVersion pinned = ofModel.stream().filter(v -> v.getSpec().getVersion() == wanted).findFirst()
                    .orElse(null);
            if (pinned == null) {
                return Resolution.problem(Problem.VersionNotFound, "no ModelVersion of model " + settings.model()
                        + " has version " + wanted, rejections);
            }
            String name = pinned.getMetadata().getName();
            VersionPhase phase = phase(pinned);
            if (phase == VersionPhase.Failed) {
                return Resolution.problem(Problem.VersionFailed, name + " failed validation: " + readyMessage(pinned),
                        rejections);
            }
            if (phase != VersionPhase.Ready) {
                return Resolution.problem(Problem.VersionNotReady, name + " is " + phase + "; waiting for validation",
                        rejections);
            }
            if (RejectionsOf.rejectedBy(pinned, settings.name())) {
                return Resolution.problem(Problem.VersionRejected, name + " was rejected by this deployment: "
                        + RejectionsOf.lastMessage(pinned, settings.name())
                        + "; annotate modelops.dev/action=retry to try it again", rejections);
            }
            GateCheck.Result gate = GateCheck.check(gates, pinned, stable);
            if (!gate.passed()) {
                rejections.add(new GateRejection(pinned, gate.message()));
                return Resolution.problem(Problem.GateFailed, name + " failed the gates: " + gate.message(),
                        rejections);
            }
            return Resolution.of(pinned, rejections);
        }
        int floor = stable == null ? Integer.MIN_VALUE : stable.getSpec().getVersion();
        for (ModelVersion candidate : ofModel) {
            if (phase(candidate) != VersionPhase.Ready || RejectionsOf.rejectedBy(candidate, settings.name())) {
                continue;
            }
            GateCheck.Result gate = GateCheck.check(gates, candidate, stable);
            if (gate.passed()) {
                return Resolution.of(candidate, rejections);
            }
            if (candidate.getSpec().getVersion() > floor) {
                // Newer than what serves and not good enough: record why, once, so it is never tried.
                rejections.add(new GateRejection(candidate, gate.message()));
            }
        }
        String newest = ofModel.isEmpty()
                ? "no version of model " + settings.model() + " exists yet"
                : "newest is " + ofModel.get(0).getMetadata().getName() + " (" + phase(ofModel.get(0)) + ")";
        return Resolution.problem(Problem.NoReadyVersion, "no Ready version of model " + settings.model()
                + " that this deployment has not rejected and that passes the gates; " + newest, rejections);
    }

    /**
     * The version a {@code retry} would try again: the pinned one, or under Latest the last one this deployment rolled
     * back or aborted, while this deployment's rejection of it stands.
     */
    public static ModelVersion retryCandidate(DeploymentSettings settings, Collection<ModelVersion> versions,
            List<dev.modelops.api.deployment.HistoryEntry> history) {
        Integer wanted = settings.pinnedVersion();
        if (settings.followLatest()) {
            wanted = null;
            for (var entry : history == null ? List.<dev.modelops.api.deployment.HistoryEntry>of() : history) {
                if (entry.getOutcome() != dev.modelops.api.deployment.RolloutOutcome.Promoted) {
                    wanted = entry.getVersion();
                }
            }
        }
        if (wanted == null) {
            return null;
        }
        int number = wanted;
        return versions.stream().filter(v -> v.getSpec() != null && settings.model().equals(v.getSpec().getModel())
                && v.getSpec().getVersion() == number && RejectionsOf.rejectedBy(v, settings.name())).findFirst()
                .orElse(null);
    }

    static VersionPhase phase(ModelVersion version) {
        return version.getStatus() == null || version.getStatus().getPhase() == null
                ? VersionPhase.Pending
                : version.getStatus().getPhase();
    }

    private static String readyMessage(ModelVersion version) {
        var ready = version.getStatus() == null
                ? null
                : Conditions.find(version.getStatus().getConditions(), Conditions.READY);
        return ready == null ? "(no reason recorded)" : ready.getReason() + ": " + ready.getMessage();
    }
}
