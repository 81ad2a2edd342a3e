package dev.modelops.api.training;

/** Where a training is in its life. */
public enum TrainingPhase {
    Pending, Queued, Running, Succeeded, Failed, Suspended;

    public boolean isFinished() {
        return this == Succeeded || this == Failed;
    }
}
