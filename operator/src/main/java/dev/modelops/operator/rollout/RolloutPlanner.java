package dev.modelops.operator.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.modelops.api.common.Measurement;
import dev.modelops.api.common.MeasurementOutcome;
import dev.modelops.api.deployment.ActionRecord;
import dev.modelops.api.deployment.AnalysisRun;
import dev.modelops.api.deployment.AnalysisTemplate;
import dev.modelops.api.deployment.CanaryStep;
import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.HistoryEntry;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentStatus;
import dev.modelops.api.deployment.RolloutOutcome;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.deployment.TrackStatus;
import dev.modelops.api.deployment.TrafficMode;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.contract.Durations;
import dev.modelops.operator.analysis.AnalysisPlanner;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.common.Times;
import dev.modelops.operator.deployment.DeploymentSettings;
import dev.modelops.operator.deployment.ServingPlanner;
import dev.modelops.operator.deployment.ServingPlanner.TrackPlan;
import dev.modelops.operator.deployment.ServingStatusPlanner;
import dev.modelops.operator.deployment.ServingStatusPlanner.Decision;
import dev.modelops.operator.deployment.ServingStatusPlanner.Inputs;
import dev.modelops.operator.deployment.ServingStatusPlanner.Note;
import dev.modelops.operator.deployment.ServingStatusPlanner.Reject;
import dev.modelops.operator.deployment.Track;
import dev.modelops.operator.deployment.TrackObservation;
import dev.modelops.operator.deployment.VersionResolver.Problem;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Pure: the canary state machine. Every pass starts from the status (the step, when it started, the measurements so
 * far), applies a person's action, walks the steps as far as the canary's readiness, the clock and the analysis
 * allow, and returns the tracks to run and the status to write. Nothing lives in memory, so an operator restarted
 * mid-pause or mid-analysis resumes at the same step with the same weight.
 */
public final class RolloutPlanner {

    public static final String PAUSED = "Paused";
    public static final String ROLLED_BACK = "RolledBack";
    static final int MEASUREMENTS_KEPT = 30;
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** How soon to look again when a step moved on by itself, so a new analysis takes its baseline at once. */
    static final Duration SOON = Duration.ofSeconds(1);

    private RolloutPlanner() {
    }

    /** Whether the canary machine decides this pass: a new version against a serving one, or a rollback held. */
    public static boolean applies(Inputs in) {
        DeploymentSettings s = in.settings();
        ModelDeploymentStatus prev = in.deployment().getStatus();
        String serving = prev == null || prev.getStable() == null ? null : prev.getStable().getModelVersion();
        if (s.strategy() != RolloutStrategy.Canary || serving == null || in.specProblem() != null
                || in.stableVersion() == null) {
            return false;
        }
        ModelVersion target = in.resolution().target();
        boolean newTarget = target != null && !target.getMetadata().getName().equals(serving);
        boolean inProgress = prev.getCanary() != null;
        boolean rolledBack = Conditions.isTrue(prev.getConditions(), ROLLED_BACK);
        return newTarget || inProgress || rolledBack || in.action() != null;
    }

    /** The analysis a pass would measure for: the canary's current step, when it is an unpaused analysis step. */
    public static Optional<Integer> analysisStep(ModelDeployment md, DeploymentSettings s) {
        ModelDeploymentStatus prev = md.getStatus();
        if (s.strategy() != RolloutStrategy.Canary || prev == null || prev.getCanary() == null
                || Conditions.isTrue(prev.getConditions(), PAUSED)) {
            return Optional.empty();
        }
        List<CanaryStep> steps = steps(s);
        TrackStatus canary = prev.getCanary();
        int step = canary.getCurrentStep() == null ? 0 : canary.getCurrentStep();
        if (!CanarySteps.hash(steps).equals(canary.getStepsHash()) || step >= steps.size()
                || steps.get(step).getAnalysis() == null) {
            return Optional.empty();
        }
        return Optional.of(step);
    }

    public static Duration interval(DeploymentSettings s) {
        AnalysisTemplate t = s.rollout().getAnalysis();
        return t == null || t.getInterval() == null ? DEFAULT_INTERVAL : Durations.parse(t.getInterval());
    }

    public static ActionRecord record(String action, boolean applied, String message, Instant now) {
        ActionRecord record = new ActionRecord();
        record.setAction(action);
        record.setApplied(applied);
        record.setMessage(message);
        record.setTime(Times.format(now));
        return record;
    }

    public static Decision plan(Inputs in, Instant now) {
        return new Pass(in, now).run();
    }

    /** One pass's working state; it never outlives {@link #plan}. */
    private static final class Pass {
        final Inputs in;
        final Instant now;
        final DeploymentSettings s;
        final ModelDeployment md;
        final ModelDeploymentStatus prev;
        final List<CanaryStep> steps;
        final String stepsHash;
        final List<Note> notes = new ArrayList<>();
        final List<Reject> rejections = new ArrayList<>();
        String serving;
        ModelVersion stableVersion;
        List<HistoryEntry> history;
        TrackStatus canary;
        ModelVersion canaryVersion;
        boolean userPaused;
        String pauseReason;
        String pauseMessage;
        String rolledBackReason;
        String rolledBackMessage;
        ActionRecord lastAction;
        ModelVersion clearRejection;
        Duration requeue;
        String waiting;

        Pass(Inputs in, Instant now) {
            this.in = in;
            this.now = now;
            this.s = in.settings();
            this.md = in.deployment();
            this.prev = md.getStatus();
            this.steps = steps(s);
            this.stepsHash = CanarySteps.hash(steps);
            this.serving = prev.getStable().getModelVersion();
            this.stableVersion = in.stableVersion();
            this.history = prev.getHistory();
            this.lastAction = prev.getLastAction();
            Condition paused = Conditions.find(prev.getConditions(), PAUSED);
            if (paused != null && Conditions.TRUE.equals(paused.getStatus())) {
                userPaused = true;
                pauseReason = paused.getReason();
                pauseMessage = paused.getMessage();
            }
            Condition rolledBack = Conditions.find(prev.getConditions(), ROLLED_BACK);
            if (rolledBack != null && Conditions.TRUE.equals(rolledBack.getStatus())) {
                rolledBackReason = rolledBack.getReason();
                rolledBackMessage = rolledBack.getMessage();
            }
        }

        Decision run() {
            in.resolution().rejections().forEach(r -> {
                rejections.add(new Reject(r.version(), "GateFailed", r.message()));
                notes.add(new Note(true, "GateFailed", r.version().getMetadata().getName()
                        + " rejected before serving: " + r.message()));
            });
            ModelVersion target = in.resolution().target();
            boolean newTarget = target != null && !target.getMetadata().getName().equals(serving);
            startOrContinue(newTarget ? target : null);
            if (in.action() != null) {
                applyAction(in.action(), target);
            }
            if (canary != null) {
                walk();
            }
            return decide();
        }

        /** Keeps the canary in progress, or starts a fresh one for a new target or changed steps. */
        void startOrContinue(ModelVersion target) {
            TrackStatus was = prev.getCanary();
            if (target == null) {
                if (was != null) {
                    // The target went away mid-rollout (the spec points back at stable, or the version vanished).
                    notes.add(new Note(false, "CanaryEnded", "canary " + was.getModelVersion()
                            + " ended: the deployment no longer targets it; " + serving + " serves everything"));
                    clearPause();
                }
                return;
            }
            canaryVersion = target;
            boolean same = was != null && target.getMetadata().getName().equals(was.getModelVersion())
                    && stepsHash.equals(was.getStepsHash());
            if (same) {
                canary = copy(was);
                return;
            }
            canary = new TrackStatus();
            canary.setModelVersion(target.getMetadata().getName());
            canary.setVersion(target.getSpec().getVersion());
            canary.setCurrentStep(0);
            canary.setStepsHash(stepsHash);
            canary.setStepStartTime(Times.format(now));
            canary.setWeight(0);
            clearPause();
            rolledBackReason = null;
            rolledBackMessage = null;
            String why = was == null
                    ? ""
                    : !target.getMetadata().getName().equals(was.getModelVersion())
                            ? " (replacing canary " + was.getModelVersion() + ", whose analysis is not carried over)"
                            : " (the steps changed: starting over)";
            notes.add(new Note(false, "CanaryStarted", "canary " + target.getMetadata().getName() + " against "
                    + serving + ": " + steps.size() + " steps" + why));
        }

        void applyAction(String raw, ModelVersion target) {
            ManualAction action = ManualAction.parse(raw);
            if (action == null) {
                act(raw, false, "unknown action '" + raw + "': use promote, promote-full, abort, retry, pause or "
                        + "resume");
                return;
            }
            switch (action) {
                case PAUSE -> {
                    if (canary == null) {
                        act(raw, false, "no canary in progress to pause");
                    } else {
                        userPaused = true;
                        pauseReason = "PausedByUser";
                        pauseMessage = "paused by modelops.dev/action=pause at step " + step() + "; annotate "
                                + "modelops.dev/action=resume to go on";
                        act(raw, true, pauseMessage);
                    }
                }
                case RESUME -> {
                    if (canary == null || !userPaused) {
                        act(raw, false, "nothing is paused");
                    } else {
                        clearPause();
                        canary.setStepStartTime(pauseStep() ? canary.getStepStartTime() : Times.format(now));
                        resetInconclusives();
                        act(raw, true, "resumed at step " + step());
                    }
                }
                case PROMOTE -> {
                    if (canary == null) {
                        act(raw, false, "no canary in progress to promote");
                    } else {
                        clearPause();
                        int from = step();
                        advance();
                        act(raw, true, "ended step " + from + (from < steps.size()
                                ? " (" + CanarySteps.describe(
                                        steps.get(from)) + ")"
                                : "") + " by hand");
                    }
                }
                case PROMOTE_FULL -> {
                    if (canary == null) {
                        act(raw, false, "no canary in progress to promote");
                    } else {
                        clearPause();
                        canary.setCurrentStep(steps.size());
                        canary.setStepStartTime(Times.format(now));
                        act(raw, true, "skipped the remaining steps and analysis: promoting "
                                + canary.getModelVersion());
                    }
                }
                case ABORT -> {
                    if (canary == null) {
                        act(raw, false, "no canary in progress to abort");
                    } else {
                        rollBack(RolloutOutcome.Aborted, "Aborted", "aborted by modelops.dev/action=abort at step "
                                + step(), List.of());
                        act(raw, true, "rolled back " + canaryVersion.getMetadata().getName() + "; " + serving
                                + " serves everything");
                    }
                }
                case RETRY -> {
                    ModelVersion again = in.retryCandidate();
                    if (again == null) {
                        act(raw, false, "no rolled back or aborted version to retry");
                    } else {
                        clearRejection = again;
                        rolledBackReason = null;
                        rolledBackMessage = null;
                        act(raw, true, "took back the rejection of " + again.getMetadata().getName()
                                + "; its canary starts again from the first step");
                    }
                }
                default -> throw new IllegalStateException("unhandled action " + action);
            }
        }

        void act(String raw, boolean applied, String message) {
            lastAction = record(raw, applied, message, now);
            notes.add(new Note(!applied, applied ? "Action" : "ActionIgnored", raw + ": " + message));
        }

        /** Walks the steps as far as readiness, time and analysis allow in this pass. */
        void walk() {
            recordMeasurement();
            for (int guard = 0; guard <= steps.size() + 1 && canary != null; guard++) {
                if (userPaused) {
                    waiting = pauseMessage;
                    return;
                }
                int index = step();
                if (index >= steps.size()) {
                    return;
                }
                canary.setWeight(CanarySteps.weightAt(steps, index));
                if (!canaryReady()) {
                    waiting = "waiting for canary " + canary.getModelVersion() + " pods to be ready at step "
                            + index + " (" + in.canary().ready() + " of " + split().canary() + " ready)";
                    return;
                }
                CanaryStep step = steps.get(index);
                if (step.getSetWeight() != null) {
                    advance();
                    notes.add(new Note(false, "RolloutStep", "canary " + canary.getModelVersion() + " at "
                            + canary.getWeight() + "% (step " + index + ")"));
                    continue;
                }
                if (step.getPause() != null) {
                    if (step.getPause().getDuration() == null) {
                        userPaused = true;
                        pauseReason = "WaitingForPromote";
                        pauseMessage = "step " + index + " waits for a person: annotate modelops.dev/action=promote "
                                + "to go on";
                        waiting = pauseMessage;
                        return;
                    }
                    Instant end = Times.parse(canary.getStepStartTime()).plus(Durations.parse(step.getPause()
                            .getDuration()));
                    if (now.isBefore(end)) {
                        requeue(Duration.between(now, end));
                        waiting = "paused at step " + index + " until " + Times.format(end);
                        return;
                    }
                    advance();
                    continue;
                }
                // An analysis step.
                AnalysisRun run = canary.getAnalysis();
                int wanted = step.getAnalysis().getMeasurements() == null ? 1 : step.getAnalysis().getMeasurements();
                int count = run == null || run.getCount() == null ? 0 : run.getCount();
                int failures = run == null || run.getFailures() == null ? 0 : run.getFailures();
                int inconclusive = run == null || run.getInconclusives() == null ? 0 : run.getInconclusives();
                AnalysisTemplate t = s.rollout().getAnalysis();
                int failureLimit = t.getFailureLimit() == null ? 0 : t.getFailureLimit();
                int inconclusiveLimit = t.getInconclusiveLimit() == null ? 0 : t.getInconclusiveLimit();
                if (failures > failureLimit) {
                    List<Measurement> evidence = lastMeasurements(run);
                    rollBack(RolloutOutcome.RolledBack, "AnalysisFailed", failures + " failed measurement"
                            + (failures == 1 ? "" : "s") + " (failureLimit " + failureLimit + "): "
                            + AnalysisPlanner.summary(MeasurementOutcome.Failed, evidence), evidence);
                    return;
                }
                if (inconclusive > inconclusiveLimit) {
                    userPaused = true;
                    pauseReason = "InconclusiveAnalysis";
                    pauseMessage = inconclusive + " inconclusive measurement" + (inconclusive == 1 ? "" : "s")
                            + " (inconclusiveLimit " + inconclusiveLimit + "): " + AnalysisPlanner.summary(
                                    MeasurementOutcome.Inconclusive, lastMeasurements(run))
                            + "; a person decides: annotate modelops.dev/action=resume, promote or abort";
                    waiting = pauseMessage;
                    notes.add(new Note(true, "AnalysisInconclusive", pauseMessage));
                    return;
                }
                if (count - failures - inconclusive >= wanted) {
                    notes.add(new Note(false, "AnalysisSuccessful", "step " + index + ": " + (count - failures
                            - inconclusive) + " successful measurements of " + canary.getModelVersion()));
                    advance();
                    continue;
                }
                requeue(interval(s));
                waiting = "analysing " + canary.getModelVersion() + " at step " + index + ": " + (count - failures
                        - inconclusive) + " of " + wanted + " measurements successful";
                return;
            }
        }

        /** The measurement the reconciler took this pass, appended to the current analysis step's run. */
        void recordMeasurement() {
            Optional<AnalysisPlanner.Result> result = in.measurement();
            if (result.isEmpty() || userPaused || step() >= steps.size() || steps.get(step()).getAnalysis() == null) {
                return;
            }
            AnalysisRun run = canary.getAnalysis() == null ? new AnalysisRun() : canary.getAnalysis();
            MeasurementOutcome outcome = result.get().outcome();
            run.setTime(Times.format(now));
            run.setOutcome(outcome);
            run.setCount((run.getCount() == null ? 0 : run.getCount()) + 1);
            run.setFailures((run.getFailures() == null ? 0 : run.getFailures())
                    + (outcome == MeasurementOutcome.Failed ? 1 : 0));
            run.setInconclusives((run.getInconclusives() == null ? 0 : run.getInconclusives())
                    + (outcome == MeasurementOutcome.Inconclusive || outcome == MeasurementOutcome.Error ? 1 : 0));
            List<Measurement> kept = new ArrayList<>(run.getMeasurements() == null
                    ? List.of()
                    : run
                            .getMeasurements());
            kept.addAll(result.get().measurements());
            while (kept.size() > MEASUREMENTS_KEPT) {
                kept.remove(0);
            }
            run.setMeasurements(kept);
            canary.setAnalysis(run);
        }

        void advance() {
            canary.setCurrentStep(step() + 1);
            canary.setStepStartTime(Times.format(now));
            canary.setWeight(CanarySteps.weightAt(steps, step()));
            if (canary.getAnalysis() != null) {
                // Counters belong to one analysis step; the measurements stay as evidence.
                canary.getAnalysis().setCount(0);
                canary.getAnalysis().setFailures(0);
                canary.getAnalysis().setInconclusives(0);
            }
            if (step() < steps.size() && steps.get(step()).getAnalysis() != null) {
                requeue(SOON);
            }
        }

        void rollBack(RolloutOutcome outcome, String reason, String message, List<Measurement> evidence) {
            String version = canary.getModelVersion();
            rejections.add(new Reject(canaryVersion, reason, message, evidence));
            history = ServingStatusPlanner.withHistory(history, canary.getVersion(), outcome, now, reason);
            rolledBackReason = reason;
            rolledBackMessage = version + " rolled back: " + message;
            notes.add(new Note(true, outcome == RolloutOutcome.Aborted ? "Aborted" : "RolledBack",
                    rolledBackMessage + "; all traffic back to " + serving));
            canary = null;
            clearPause();
        }

        void resetInconclusives() {
            if (canary.getAnalysis() != null) {
                canary.getAnalysis().setInconclusives(0);
            }
        }

        void clearPause() {
            userPaused = false;
            pauseReason = null;
            pauseMessage = null;
        }

        boolean pauseStep() {
            return step() < steps.size() && steps.get(step()).getPause() != null;
        }

        int step() {
            return canary.getCurrentStep() == null ? 0 : canary.getCurrentStep();
        }

        ReplicaSplit split() {
            int weight = canary == null ? 0 : canary.getWeight() == null ? 0 : canary.getWeight();
            return gatewayApi()
                    ? ReplicaSplit.byExactWeights(s.replicas(), weight)
                    : ReplicaSplit.byPodRatio(s.replicas(), weight);
        }

        boolean gatewayApi() {
            return s.rollout().getTraffic() != null && s.rollout().getTraffic().getMode() == TrafficMode.GatewayAPI;
        }

        boolean canaryReady() {
            TrackObservation obs = in.canary();
            int wanted = split().canary();
            return obs.exists() && obs.templateVersion() != null && obs.templateVersion().equals(canary.getVersion())
                    && obs.rolledOut() && obs.wanted() == wanted;
        }

        void requeue(Duration after) {
            if (requeue == null || after.compareTo(requeue) < 0) {
                requeue = after.isNegative() ? Duration.ZERO : after;
            }
        }

        Decision decide() {
            List<TrackPlan> tracks = new ArrayList<>();
            ModelDeploymentStatus status = new ModelDeploymentStatus();
            status.setObservedGeneration(md.getMetadata().getGeneration());
            status.setUrl(ServingPlanner.url(s));
            status.setSelector(ServingPlanner.selectorString(s));
            status.setLastAction(lastAction);
            TrackObservation stableObs = in.stable();
            TrackObservation canaryObs = in.canary();
            boolean promoting = canary != null && step() >= steps.size();
            boolean promoted = false;
            int canaryWeight = 0;
            if (canary != null && !promoting) {
                ReplicaSplit split = split();
                tracks.add(new TrackPlan(Track.STABLE, stableVersion, split.stable()));
                tracks.add(new TrackPlan(Track.CANARY, canaryVersion, split.canary()));
                canary.setReplicas(split.canary());
                canaryWeight = canary.getWeight() == null ? 0 : canary.getWeight();
            } else if (promoting) {
                // The stable Deployment rolls to the new version while the canary keeps serving; the canary goes
                // once every stable pod runs the new version, so capacity never dips.
                canary.setWeight(100);
                canaryWeight = 100;
                boolean stableDone = stableObs.exists() && canary.getVersion().equals(stableObs.templateVersion())
                        && stableObs.rolledOut();
                if (stableDone) {
                    promoted = true;
                    String was = serving;
                    serving = canary.getModelVersion();
                    stableVersion = canaryVersion;
                    String reason = lastAction != null && "promote-full".equals(lastAction.getAction())
                            && Boolean.TRUE.equals(lastAction.getApplied()) ? "PromotedByUser" : "AllStepsComplete";
                    history = ServingStatusPlanner.withHistory(history, canary.getVersion(), RolloutOutcome.Promoted,
                            now, reason);
                    notes.add(new Note(false, "Promoted", serving + " promoted: it now serves everything (was "
                            + was + ")"));
                    tracks.add(new TrackPlan(Track.STABLE, stableVersion, s.replicas()));
                    canaryWeight = 0;
                } else {
                    tracks.add(new TrackPlan(Track.STABLE, canaryVersion, s.replicas()));
                    tracks.add(new TrackPlan(Track.CANARY, canaryVersion, Math.max(canary.getReplicas() == null
                            ? 1
                            : canary.getReplicas(), canaryObs.wanted())));
                    waiting = "promoting " + canary.getModelVersion() + ": " + stableObs.updated() + " of "
                            + s.replicas() + " stable pods updated";
                }
            } else {
                tracks.add(new TrackPlan(Track.STABLE, stableVersion, s.replicas()));
            }

            TrackStatus stable = new TrackStatus();
            stable.setModelVersion(serving);
            stable.setVersion(stableVersion.getSpec().getVersion());
            stable.setReplicas(tracks.get(0).replicas());
            stable.setReadyReplicas(promoted ? stableObs.ready() : stableObs.ready());
            stable.setWeight(100 - canaryWeight);
            status.setStable(stable);
            if (canary != null && !promoted) {
                canary.setReadyReplicas(canaryObs.ready());
                status.setCanary(canary);
            }
            status.setHistory(history);
            status.setReplicas(stableObs.pods() + (promoted ? 0 : canaryObs.pods()));
            status.setReadyReplicas(stableObs.ready() + (promoted ? 0 : canaryObs.ready()));

            boolean rolledBack = rolledBackReason != null;
            boolean rejectedTarget = in.resolution().problem() == Problem.VersionRejected;
            String degradedReason = rolledBack ? ROLLED_BACK : null;
            String degradedMessage = rolledBack ? rolledBackMessage + "; " + serving + " serves everything" : null;
            if (!rolledBack && in.resolution().problem() != null && in.resolution().problem() != Problem.VersionNotReady
                    && canary == null) {
                degradedReason = in.resolution().problem().name();
                degradedMessage = in.resolution().message() + "; " + serving + " keeps serving";
            }
            TrackObservation.Failure failure = canary != null && !promoted ? canaryObs.failure() : null;
            if (failure != null && degradedReason == null) {
                degradedReason = failure.reason();
                degradedMessage = "canary " + canary.getModelVersion() + ": " + failure.message() + "; " + serving
                        + " keeps serving";
            }
            boolean degraded = degradedReason != null;
            boolean paused = userPaused && canary != null;
            boolean inRollout = canary != null && !promoted;
            boolean ready = !inRollout && !degraded && stableObs.rolledOut()
                    && in.resolution().target() != null && serving.equals(in.resolution().target().getMetadata()
                            .getName());
            String readyReason;
            String readyMessage;
            if (ready) {
                readyReason = "Serving";
                readyMessage = "serving " + serving + " on " + stableObs.ready() + " of " + s.replicas() + " pods";
            } else if (degraded) {
                readyReason = degradedReason;
                readyMessage = degradedMessage;
            } else if (paused) {
                readyReason = pauseReason;
                readyMessage = "canary " + canary.getModelVersion() + " at " + canary.getWeight() + "%: "
                        + pauseMessage;
            } else if (inRollout) {
                readyReason = "RollingOut";
                readyMessage = "canary " + canary.getModelVersion() + " at " + canary.getWeight() + "%, step "
                        + Math.min(step(), steps.size()) + " of " + steps.size() + ": " + (waiting == null
                                ? ""
                                : waiting);
            } else {
                readyReason = in.resolution().problem() == null ? "RollingOut" : in.resolution().problem().name();
                readyMessage = in.resolution().problem() == null
                        ? "serving " + serving
                        : in.resolution().message();
            }
            int readyPods = status.getReadyReplicas();
            Conditions conditions = new Conditions()
                    .set(Conditions.READY, ready, readyReason, readyMessage)
                    .set(ServingStatusPlanner.AVAILABLE, readyPods > 0, readyPods > 0 ? "PodsReady" : "NoReadyPods",
                            readyPods + " pods ready, " + serving + " serving")
                    .set(ServingStatusPlanner.PROGRESSING, inRollout && !paused, inRollout
                            ? (paused
                                    ? pauseReason
                                    : "RollingOut")
                            : ready ? "Complete" : readyReason, readyMessage)
                    .set(ServingStatusPlanner.DEGRADED, degraded, degraded ? degradedReason : "AsExpected",
                            degraded ? degradedMessage : "")
                    .set(PAUSED, paused, paused ? pauseReason : "NotPaused", paused ? pauseMessage : "");
            if (rolledBack) {
                conditions.set(ROLLED_BACK, true, rolledBackReason, rolledBackMessage);
            }
            status.setConditions(conditions.merge(prev.getConditions(), md.getMetadata().getGeneration(), now));
            status.setPhase(degraded
                    ? DeploymentPhase.Degraded
                    : paused
                            ? DeploymentPhase.Paused
                            : ready ? DeploymentPhase.Healthy : DeploymentPhase.Progressing);
            status.setMessage(readyMessage);
            if (rejectedTarget && !rolledBack && canary == null && degradedReason == null) {
                status.setPhase(DeploymentPhase.Degraded);
            }
            Condition before = Conditions.find(prev.getConditions(), ServingStatusPlanner.DEGRADED);
            if (degraded && !rolledBack && (before == null || !Conditions.TRUE.equals(before.getStatus())
                    || !degradedReason.equals(before.getReason()))) {
                notes.add(new Note(true, degradedReason, degradedMessage));
            }
            return new Decision(tracks, status, notes, rejections, canaryWeight, clearRejection, requeue);
        }

        private static List<Measurement> lastMeasurements(AnalysisRun run) {
            if (run == null || run.getMeasurements() == null || run.getMeasurements().isEmpty()) {
                return List.of();
            }
            String time = run.getMeasurements().get(run.getMeasurements().size() - 1).getTime();
            return run.getMeasurements().stream().filter(m -> time != null && time.equals(m.getTime())).toList();
        }
    }

    static List<CanaryStep> steps(DeploymentSettings s) {
        return s.rollout().getSteps() == null ? List.of() : s.rollout().getSteps();
    }

    private static TrackStatus copy(TrackStatus track) {
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(track, TrackStatus.class);
    }
}
