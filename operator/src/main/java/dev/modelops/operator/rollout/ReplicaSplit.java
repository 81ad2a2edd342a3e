package dev.modelops.operator.rollout;

/**
 * Pure: how many pods each track gets for a canary weight. With traffic by replica ratio the weight is the canary's
 * share of the pods: a weight above 0 gets at least one canary pod, below 100 stable keeps at least one, the total is
 * kept (but for one replica, where a canary below 100 runs one extra pod beside stable's), and 100 moves every pod.
 * With exact traffic weights (Gateway API) stable keeps every pod and the canary gets its share, at least one.
 */
public record ReplicaSplit(int stable, int canary) {

    public static ReplicaSplit byPodRatio(int total, int weight) {
        if (weight <= 0 || total <= 0) {
            return new ReplicaSplit(total, 0);
        }
        if (weight >= 100) {
            return new ReplicaSplit(0, total);
        }
        if (total <= 1) {
            return new ReplicaSplit(total, 1);
        }
        int canary = (int) Math.round(total * weight / 100.0);
        canary = Math.max(1, Math.min(total - 1, canary));
        return new ReplicaSplit(total - canary, canary);
    }

    public static ReplicaSplit byExactWeights(int total, int weight) {
        if (weight <= 0 || total <= 0) {
            return new ReplicaSplit(total, 0);
        }
        int canary = Math.max(1, (int) Math.ceil(total * weight / 100.0));
        return new ReplicaSplit(weight >= 100 ? 0 : Math.max(total, 1), Math.max(canary, 1));
    }
}
