package dev.modelops.operator.deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.HistoryEntry;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentStatus;
import dev.modelops.api.deployment.RolloutOutcome;
import dev.modelops.api.deployment.TrackStatus;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.common.Times;
import dev.modelops.operator.deployment.ServingPlanner.TrackPlan;
import dev.modelops.operator.deployment.VersionResolver.Problem;
import dev.modelops.operator.deployment.VersionResolver.Resolution;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Pure: from what the deployment asks for, which version resolves, and what the stable track's Deployment and pods
 * say, decides what the stable track runs, the status, the Events to record and the versions to reject. Immediate
 * strategy: a new target replaces the stable pods through a rolling update that keeps every old pod until a new one is
 * ready, so what serves keeps serving; the stable track names the new version once every pod runs it.
 */
public final class ServingStatusPlanner {

    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    static final int HISTORY_KEPT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An Event to record on the ModelDeployment. */
    public record Note(boolean warning, String reason, String message) {
    }

    /** A version to reject for this deployment, with the reason and evidence. */
    public record Reject(ModelVersion version, String reason, String message,
            List<dev.modelops.api.common.Measurement> evidence) {

        public Reject(ModelVersion version, String reason, String message) {
            this(version, reason, message, List.of());
        }
    }

    /**
     * What to run and write. {@code canaryWeight}: the canary's share of traffic (for an HTTPRoute);
     * {@code clearRejection}: a version whose rejection by this deployment a retry takes back; {@code requeueAfter}:
     * when to look again without an event (a pause ending, the next measurement), null for events only.
     */
    public record Decision(List<TrackPlan> tracks, ModelDeploymentStatus status, List<Note> notes,
            List<Reject> rejections, int canaryWeight, ModelVersion clearRejection, java.time.Duration requeueAfter) {

        Decision(List<TrackPlan> tracks, ModelDeploymentStatus status, List<Note> notes, List<Reject> rejections) {
            this(tracks, status, notes, rejections, 0, null, null);
        }
    }

    /** What the reconciler saw. {@code specProblem}: a spec the schema let through but that cannot be served. */
    public record Inputs(ModelDeployment deployment, DeploymentSettings settings, String specProblem,
            Resolution resolution, ModelVersion stableVersion, TrackObservation stable, ModelVersion canaryVersion,
            TrackObservation canary, String action,
            java.util.Optional<dev.modelops.operator.analysis.AnalysisPlanner.Result> measurement,
            ModelVersion retryCandidate) {

        /** Without a canary, an action or a measurement: the Immediate strategy's inputs. */
        public Inputs(ModelDeployment deployment, DeploymentSettings settings, String specProblem,
                Resolution resolution, ModelVersion stableVersion, TrackObservation stable) {
            this(deployment, settings, specProblem, resolution, stableVersion, stable, null, TrackObservation
                    .absent(), null, java.util.Optional.empty(), null);
        }
    }

    private ServingStatusPlanner() {
    }

    public static Decision plan(Inputs in, Instant now) {
        if (dev.modelops.operator.rollout.RolloutPlanner.applies(in)) {
            return dev.modelops.operator.rollout.RolloutPlanner.plan(in, now);
        }
        Decision immediate = planImmediate(in, now);
        String action = in.action();
        if (action == null) {
            return immediate;
        }
        // No rollout in progress: an action is consumed and reported, and changes nothing.
        ModelDeploymentStatus status = immediate.status();
        status.setLastAction(dev.modelops.operator.rollout.RolloutPlanner.record(action, false,
                "no canary rollout in progress; nothing to " + action, now));
        List<Note> notes = new ArrayList<>(immediate.notes());
        notes.add(new Note(true, "ActionIgnored", status.getLastAction().getMessage()));
        return new Decision(immediate.tracks(), status, notes, immediate.rejections(), 0, null, null);
    }

    static Decision planImmediate(Inputs in, Instant now) {
        ModelDeployment md = in.deployment();
        DeploymentSettings s = in.settings();
        ModelDeploymentStatus previous = md.getStatus() == null ? new ModelDeploymentStatus() : md.getStatus();
        String servingName = previous.getStable() == null ? null : previous.getStable().getModelVersion();
        ModelVersion target = in.specProblem() == null ? in.resolution().target() : null;
        ModelVersion desired = target != null ? target : in.stableVersion();
        List<Note> notes = new ArrayList<>();
        List<Reject> rejections = new ArrayList<>();
        in.resolution().rejections().forEach(r -> {
            rejections.add(new Reject(r.version(), "GateFailed", r.message()));
            notes.add(new Note(true, "GateFailed", r.version().getMetadata().getName() + " rejected before serving: "
                    + r.message()));
        });

        List<TrackPlan> tracks = desired == null
                ? List.of()
                : List.of(new TrackPlan(Track.STABLE, desired, s.replicas()));
        TrackObservation obs = in.stable();
        boolean runsDesired = desired != null && obs.exists() && obs.templateVersion() != null
                && obs.templateVersion().equals(desired.getSpec().getVersion());
        boolean complete = runsDesired && obs.rolledOut();
        String nowServing = complete ? desired.getMetadata().getName() : servingName;
        TrackObservation.Failure failure = desired != null && !complete && runsDesired ? obs.failure() : null;

        ModelDeploymentStatus status = new ModelDeploymentStatus();
        status.setObservedGeneration(md.getMetadata().getGeneration());
        status.setUrl(ServingPlanner.url(s));
        status.setSelector(ServingPlanner.selectorString(s));
        status.setReplicas(obs.pods());
        status.setReadyReplicas(obs.ready());
        status.setHistory(previous.getHistory());
        status.setLastAction(previous.getLastAction());
        if (nowServing != null) {
            TrackStatus stable = new TrackStatus();
            ModelVersion serving = complete ? desired : in.stableVersion();
            stable.setModelVersion(nowServing);
            stable.setVersion(serving == null ? versionOf(previous.getStable()) : serving.getSpec().getVersion());
            stable.setReplicas(desired == null ? 0 : s.replicas());
            stable.setReadyReplicas(obs.ready());
            stable.setWeight(100);
            status.setStable(stable);
        }
        if (nowServing != null && !nowServing.equals(servingName)) {
            String reason = servingName == null ? "InitialVersion" : "Immediate";
            status.setHistory(withHistory(previous.getHistory(), desired.getSpec().getVersion(), now, reason));
            notes.add(new Note(false, "Serving", "now serving " + nowServing + (servingName == null
                    ? ""
                    : " (was " + servingName + ")") + " on " + obs.ready() + " ready pods"));
        }

        // Under Latest a version whose pods can never come up is rejected, so the deployment falls back to the one
        // that serves; a pinned version stays what Git asks for, and the old pods keep serving.
        if (failure != null && failure.permanent() && s.followLatest() && target != null
                && !target.getMetadata().getName().equals(servingName)) {
            rejections.add(new Reject(target, "RolloutFailed", failure.reason() + ": " + failure.message()));
        }

        String degradedReason = null;
        String degradedMessage = null;
        if (in.specProblem() != null) {
            degradedReason = "InvalidSpec";
            degradedMessage = in.specProblem();
        } else if (in.resolution().problem() != null && in.resolution().problem() != Problem.VersionNotReady
                && !(in.resolution().problem() == Problem.NoReadyVersion && servingName == null)) {
            degradedReason = in.resolution().problem().name();
            degradedMessage = in.resolution().message();
        } else if (failure != null) {
            degradedReason = failure.reason();
            degradedMessage = "rolling out " + desired.getMetadata().getName() + ": " + failure.message();
        }
        boolean degraded = degradedReason != null;
        if (degraded && servingName != null) {
            degradedMessage = degradedMessage + "; " + servingName + " keeps serving";
        }

        boolean ready = !degraded && target != null && complete;
        String readyReason;
        String readyMessage;
        if (ready) {
            readyReason = "Serving";
            readyMessage = "serving " + nowServing + " on " + obs.ready() + " of " + s.replicas() + " pods";
        } else if (degraded) {
            readyReason = degradedReason;
            readyMessage = degradedMessage;
        } else if (target == null) {
            readyReason = in.resolution().problem().name();
            readyMessage = in.resolution().message();
        } else {
            readyReason = "RollingOut";
            readyMessage = "rolling out " + target.getMetadata().getName() + ": " + obs.updated() + " of "
                    + s.replicas() + " pods updated, " + obs.ready() + " ready";
        }
        boolean progressing = !ready && !(failure != null && failure.permanent()) && in.specProblem() == null
                && (target != null || in.resolution().problem() == Problem.VersionNotReady
                        || in.resolution().problem() == Problem.NoReadyVersion);
        int readyPods = obs.ready();

        Conditions conditions = new Conditions()
                .set(Conditions.READY, ready, readyReason, readyMessage)
                .set(AVAILABLE, readyPods > 0, readyPods > 0
                        ? "PodsReady"
                        : (s.replicas() == 0
                                ? "ScaledToZero"
                                : "NoReadyPods"),
                        readyPods + " of " + s.replicas() + " pods ready"
                                + (nowServing == null ? "" : ", serving " + nowServing))
                .set(PROGRESSING, progressing, progressing ? readyReason : (ready ? "Complete" : readyReason),
                        progressing || !ready ? readyMessage : "rollout of " + nowServing + " complete")
                .set(DEGRADED, degraded, degraded ? degradedReason : "AsExpected",
                        degraded ? degradedMessage : "");
        status.setConditions(conditions.merge(previous.getConditions(), md.getMetadata().getGeneration(), now));
        status.setPhase(degraded
                ? DeploymentPhase.Degraded
                : ready
                        ? DeploymentPhase.Healthy
                        : DeploymentPhase.Progressing);
        status.setMessage(readyMessage);

        Condition before = Conditions.find(previous.getConditions(), DEGRADED);
        if (degraded && (before == null || !Conditions.TRUE.equals(before.getStatus())
                || !degradedReason.equals(before.getReason()))) {
            notes.add(new Note(true, degradedReason, degradedMessage));
        }
        Condition wasReady = Conditions.find(previous.getConditions(), Conditions.READY);
        if ("RollingOut".equals(readyReason) && (wasReady == null || !"RollingOut".equals(wasReady.getReason()))) {
            notes.add(new Note(false, "RollingOut", "rolling out " + target.getMetadata().getName()
                    + (servingName == null ? "" : " to replace " + servingName)));
        }
        return new Decision(tracks, status, notes, rejections);
    }

    private static Integer versionOf(TrackStatus track) {
        return track == null ? null : track.getVersion();
    }

    public static List<HistoryEntry> withHistory(List<HistoryEntry> history, int version, Instant now,
            String reason) {
        return withHistory(history, version, RolloutOutcome.Promoted, now, reason);
    }

    public static List<HistoryEntry> withHistory(List<HistoryEntry> history, int version, RolloutOutcome outcome,
            Instant now, String reason) {
        List<HistoryEntry> result = history == null ? new ArrayList<>() : new ArrayList<>(history);
        HistoryEntry entry = new HistoryEntry();
        entry.setVersion(version);
        entry.setOutcome(outcome);
        entry.setTime(Times.format(now));
        entry.setReason(reason);
        result.add(entry);
        while (result.size() > HISTORY_KEPT) {
            result.remove(0);
        }
        return result;
    }

    static dev.modelops.api.deployment.ModelDeploymentSpec copySpec(
            dev.modelops.api.deployment.ModelDeploymentSpec spec) {
        return JSON.convertValue(spec, dev.modelops.api.deployment.ModelDeploymentSpec.class);
    }

    public static ModelDeploymentStatus copy(ModelDeploymentStatus status) {
        return JSON.convertValue(status, ModelDeploymentStatus.class);
    }
}
