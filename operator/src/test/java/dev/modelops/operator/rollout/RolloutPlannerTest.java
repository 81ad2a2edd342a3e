package dev.modelops.operator.rollout;

import static dev.modelops.operator.rollout.CanaryStepsTest.analysis;
import static dev.modelops.operator.rollout.CanaryStepsTest.pause;
import static dev.modelops.operator.rollout.CanaryStepsTest.weight;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelops.api.common.Measurement;
import dev.modelops.api.common.MeasurementOutcome;
import dev.modelops.api.deployment.AnalysisTemplate;
import dev.modelops.api.deployment.CanaryStep;
import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.ModelDeploymentStatus;
import dev.modelops.api.deployment.RolloutOutcome;
import dev.modelops.api.deployment.RolloutSpec;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.deployment.TrackStatus;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.ModelVersionStatus;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.analysis.AnalysisPlanner;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.deployment.DeploymentSettings;
import dev.modelops.operator.deployment.ServingPlanner.TrackPlan;
import dev.modelops.operator.deployment.ServingStatusPlanner;
import dev.modelops.operator.deployment.ServingStatusPlanner.Decision;
import dev.modelops.operator.deployment.Track;
import dev.modelops.operator.deployment.TrackObservation;
import dev.modelops.operator.deployment.VersionResolver;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** The canary state machine, pass by pass, with the clock in the test's hand. */
class RolloutPlannerTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final List<CanaryStep> STEPS = List.of(weight(25), analysis(2), pause("10m"), weight(50), pause(null));

    final ModelVersion v1 = version(1);
    final ModelVersion v2 = version(2);

    static ModelVersion version(int n) {
        ModelVersion v = Versions.version("iris", n);
        ModelVersionStatus st = new ModelVersionStatus();
        st.setPhase(VersionPhase.Ready);
        v.setStatus(st);
        return v;
    }

    static ModelDeployment md(List<CanaryStep> steps, ModelDeploymentStatus status) {
        ModelDeploymentSpec spec = new ModelDeploymentSpec();
        spec.setModel("iris");
        spec.setVersion(2);
        spec.setReplicas(4);
        RolloutSpec rollout = new RolloutSpec();
        rollout.setStrategy(RolloutStrategy.Canary);
        rollout.setSteps(steps);
        AnalysisTemplate t = new AnalysisTemplate();
        t.setInterval("1m");
        t.setFailureLimit(1);
        t.setInconclusiveLimit(1);
        rollout.setAnalysis(t);
        spec.setRollout(rollout);
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName("iris").withNamespace("ml").withGeneration(1L)
                .withUid("u").build());
        md.setSpec(spec);
        md.setStatus(status);
        return md;
    }

    /** Stable serves v1 on 4 ready pods. */
    static ModelDeploymentStatus serving() {
        ModelDeploymentStatus st = new ModelDeploymentStatus();
        TrackStatus stable = new TrackStatus();
        stable.setModelVersion("iris-v1");
        stable.setVersion(1);
        st.setStable(stable);
        return st;
    }

    static TrackObservation ready(int version, int pods) {
        return new TrackObservation(true, version, pods, pods, pods, pods, true, null);
    }

    Decision pass(ModelDeployment md, TrackObservation stable, TrackObservation canary, String action,
            AnalysisPlanner.Result measurement, Instant now) {
        DeploymentSettings s = DeploymentSettings.of(md, "rt");
        var resolution = VersionResolver.resolve(s, List.of(v1, v2), v1);
        ModelVersion canaryVersion = md.getStatus().getCanary() == null ? null : v2;
        return ServingStatusPlanner.plan(new ServingStatusPlanner.Inputs(md, s, null, resolution, v1, stable,
                canaryVersion, canary, action, Optional.ofNullable(measurement), null), now);
    }

    /** Feeds the decision's status into the next pass, as the API server would. */
    static ModelDeployment next(ModelDeployment md, Decision d) {
        md.setStatus(d.status());
        return md;
    }

    static Map<Track, Integer> replicas(Decision d) {
        return d.tracks().stream().collect(java.util.stream.Collectors.toMap(TrackPlan::track, TrackPlan::replicas));
    }

    static AnalysisPlanner.Result measured(MeasurementOutcome outcome, Instant at) {
        Measurement m = new Measurement();
        m.setMetric("error-rate");
        m.setValue(outcome == MeasurementOutcome.Failed ? 0.3 : 0.0);
        m.setThreshold("<= 0.01");
        m.setOutcome(outcome);
        m.setTime(dev.modelops.operator.common.Times.format(at));
        return new AnalysisPlanner.Result(outcome, List.of(m), AnalysisPlanner.summary(outcome, List.of(m)));
    }

    @Test
    void aGoodCanaryWalksEveryStepAndIsPromoted() {
        ModelDeployment md = md(STEPS, serving());
        Decision d = pass(md, ready(1, 4), TrackObservation.absent(), null, null, T0);
        assertThat(d.status().getCanary().getCurrentStep()).isZero();
        assertThat(d.status().getCanary().getWeight()).isEqualTo(25);
        assertThat(replicas(d)).containsEntry(Track.STABLE, 3).containsEntry(Track.CANARY, 1);
        assertThat(d.notes()).extracting(n -> n.reason()).contains("CanaryStarted");
        assertThat(d.status().getPhase()).isEqualTo(DeploymentPhase.Progressing);

        // The canary pod is ready: setWeight 25 is done, the analysis step starts.
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, null, T0.plusSeconds(20));
        assertThat(d.status().getCanary().getCurrentStep()).isEqualTo(1);
        assertThat(d.requeueAfter()).isLessThanOrEqualTo(Duration.ofMinutes(1));

        d = pass(next(md, d), ready(1, 3), ready(2, 1), null,
                measured(MeasurementOutcome.Successful, T0.plusSeconds(80)), T0.plusSeconds(80));
        assertThat(d.status().getCanary().getCurrentStep()).isEqualTo(1);
        assertThat(d.status().getCanary().getAnalysis().getCount()).isEqualTo(1);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null,
                measured(MeasurementOutcome.Successful, T0.plusSeconds(140)), T0.plusSeconds(140));
        assertThat(d.status().getCanary().getCurrentStep()).as("two successes end the analysis").isEqualTo(2);
        assertThat(d.status().getCanary().getAnalysis().getMeasurements()).hasSize(2);
        assertThat(d.requeueAfter()).isEqualTo(Duration.ofMinutes(10));

        // Pause 10m: nothing moves before its end, even across passes (and operator restarts: all of it is status).
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, null, T0.plusSeconds(400));
        assertThat(d.status().getCanary().getCurrentStep()).isEqualTo(2);
        assertThat(d.status().getCanary().getWeight()).isEqualTo(25);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, null, T0.plusSeconds(140 + 600));
        assertThat(d.status().getCanary().getCurrentStep()).isEqualTo(3);
        assertThat(replicas(d)).containsEntry(Track.STABLE, 2).containsEntry(Track.CANARY, 2);

        d = pass(next(md, d), ready(1, 2), ready(2, 2), null, null, T0.plusSeconds(800));
        assertThat(d.status().getCanary().getCurrentStep()).isEqualTo(4);
        assertThat(d.status().getPhase()).isEqualTo(DeploymentPhase.Paused);
        assertThat(Conditions.find(d.status().getConditions(), "Paused").getReason()).isEqualTo("WaitingForPromote");

        d = pass(next(md, d), ready(1, 2), ready(2, 2), "promote", null, T0.plusSeconds(900));
        assertThat(d.status().getLastAction().getApplied()).isTrue();
        assertThat(d.status().getCanary().getCurrentStep()).isEqualTo(5);
        assertThat(d.tracks()).extracting(t -> t.track() + ":" + t.version().getMetadata().getName() + ":" + t
                .replicas()).as("stable rolls to v2 while the canary keeps serving")
                .containsExactly("STABLE:iris-v2:4", "CANARY:iris-v2:2");

        d = pass(next(md, d), ready(2, 4), ready(2, 2), null, null, T0.plusSeconds(960));
        assertThat(d.status().getStable().getModelVersion()).isEqualTo("iris-v2");
        assertThat(d.status().getCanary()).isNull();
        assertThat(d.tracks()).extracting(t -> t.track()).containsExactly(Track.STABLE);
        assertThat(d.status().getHistory()).singleElement().satisfies(h -> {
            assertThat(h.getOutcome()).isEqualTo(RolloutOutcome.Promoted);
            assertThat(h.getVersion()).isEqualTo(2);
        });
        assertThat(d.status().getPhase()).isEqualTo(DeploymentPhase.Healthy);
    }

    @Test
    void failuresBeyondTheLimitRollBackWithTheEvidence() {
        ModelDeployment md = md(STEPS, serving());
        Decision d = pass(md, ready(1, 4), TrackObservation.absent(), null, null, T0);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, null, T0.plusSeconds(10));
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, measured(MeasurementOutcome.Failed, T0.plusSeconds(70)),
                T0.plusSeconds(70));
        assertThat(d.status().getCanary()).as("failureLimit 1 tolerates one").isNotNull();
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, measured(MeasurementOutcome.Failed, T0.plusSeconds(130)),
                T0.plusSeconds(130));
        assertThat(d.status().getCanary()).isNull();
        assertThat(d.tracks()).extracting(t -> t.track() + ":" + t.replicas()).containsExactly("STABLE:4");
        assertThat(d.rejections()).singleElement().satisfies(r -> {
            assertThat(r.version()).isSameAs(v2);
            assertThat(r.reason()).isEqualTo("AnalysisFailed");
            assertThat(r.message()).contains("error-rate 0.3 <= 0.01 Failed");
            assertThat(r.evidence()).hasSize(1);
        });
        assertThat(d.status().getPhase()).isEqualTo(DeploymentPhase.Degraded);
        assertThat(Conditions.find(d.status().getConditions(), "RolledBack").getReason()).isEqualTo("AnalysisFailed");
        assertThat(d.status().getHistory()).singleElement().satisfies(h -> assertThat(h.getOutcome()).isEqualTo(
                RolloutOutcome.RolledBack));
        assertThat(d.notes()).extracting(n -> n.reason()).contains("RolledBack");
        assertThat(d.status().getStable().getModelVersion()).isEqualTo("iris-v1");
    }

    @Test
    void inconclusiveBeyondTheLimitPausesForAPersonAndResumeGoesOn() {
        ModelDeployment md = md(STEPS, serving());
        Decision d = pass(md, ready(1, 4), TrackObservation.absent(), null, null, T0);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, null, T0.plusSeconds(10));
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null,
                measured(MeasurementOutcome.Inconclusive, T0.plusSeconds(70)), T0.plusSeconds(70));
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, measured(MeasurementOutcome.Error, T0.plusSeconds(130)),
                T0.plusSeconds(130));
        assertThat(d.status().getPhase()).isEqualTo(DeploymentPhase.Paused);
        assertThat(Conditions.find(d.status().getConditions(), "Paused").getReason())
                .isEqualTo("InconclusiveAnalysis");
        assertThat(d.status().getMessage()).contains("2 inconclusive measurements");
        d = pass(next(md, d), ready(1, 3), ready(2, 1), "resume", null, T0.plusSeconds(200));
        assertThat(d.status().getPhase()).isEqualTo(DeploymentPhase.Progressing);
        assertThat(d.status().getCanary().getAnalysis().getInconclusives()).isZero();
    }

    @Test
    void actionsPauseAbortAndUnknownOnes() {
        ModelDeployment md = md(STEPS, serving());
        Decision d = pass(md, ready(1, 4), TrackObservation.absent(), null, null, T0);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), "pause", null, T0.plusSeconds(10));
        assertThat(d.status().getPhase()).isEqualTo(DeploymentPhase.Paused);
        assertThat(d.status().getCanary().getCurrentStep()).as("paused before the step moved").isZero();
        d = pass(next(md, d), ready(1, 3), ready(2, 1), "jump", null, T0.plusSeconds(20));
        assertThat(d.status().getLastAction().getApplied()).isFalse();
        assertThat(d.status().getLastAction().getMessage()).contains("unknown action 'jump'");
        assertThat(d.status().getPhase()).as("an unknown action changes nothing").isEqualTo(DeploymentPhase.Paused);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), "abort", null, T0.plusSeconds(30));
        assertThat(d.status().getCanary()).isNull();
        assertThat(d.rejections()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("Aborted"));
        assertThat(d.status().getHistory()).singleElement().satisfies(h -> assertThat(h.getOutcome()).isEqualTo(
                RolloutOutcome.Aborted));
    }

    @Test
    void changedStepsOrANewTargetStartAFreshCanary() {
        ModelDeployment md = md(STEPS, serving());
        Decision d = pass(md, ready(1, 4), TrackObservation.absent(), null, null, T0);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, null, T0.plusSeconds(10));
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null,
                measured(MeasurementOutcome.Successful, T0.plusSeconds(70)), T0.plusSeconds(70));
        assertThat(d.status().getCanary().getAnalysis().getCount()).isEqualTo(1);
        md.getSpec().getRollout().setSteps(List.of(weight(10), analysis(1)));
        d = pass(next(md, d), ready(1, 3), ready(2, 1), null, null, T0.plusSeconds(80));
        assertThat(d.status().getCanary().getCurrentStep()).as("started over: its setWeight 10 is done at once")
                .isEqualTo(1);
        assertThat(d.status().getCanary().getWeight()).isEqualTo(10);
        assertThat(d.status().getCanary().getAnalysis()).as("a fresh canary inherits no measurement").isNull();
        assertThat(d.status().getCanary().getStepsHash()).isEqualTo(CanarySteps.hash(md.getSpec().getRollout()
                .getSteps()));
    }

    @Test
    void promoteFullSkipsEverythingLeft() {
        ModelDeployment md = md(STEPS, serving());
        Decision d = pass(md, ready(1, 4), TrackObservation.absent(), null, null, T0);
        d = pass(next(md, d), ready(1, 3), ready(2, 1), "promote-full", null, T0.plusSeconds(10));
        assertThat(d.status().getCanary().getCurrentStep()).isEqualTo(STEPS.size());
        assertThat(d.status().getCanary().getWeight()).isEqualTo(100);
        d = pass(next(md, d), ready(2, 4), ready(2, 1), null, null, T0.plusSeconds(40));
        assertThat(d.status().getStable().getModelVersion()).isEqualTo("iris-v2");
        assertThat(d.status().getHistory()).singleElement().satisfies(h -> assertThat(h.getReason()).isEqualTo(
                "PromotedByUser"));
    }
}
