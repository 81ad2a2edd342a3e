package dev.modelops.api;

/**
 * Names shared by the API, the operator and the tools around it: the API group, the labels every owned object
 * carries, and the annotations through which people ask the operator for an action.
 */
public final class ModelOps {

    public static final String GROUP = "modelops.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String CATEGORY = "modelops";

    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
    public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "modelops";

    public static final String LABEL_MODEL = GROUP + "/model";
    public static final String LABEL_VERSION = GROUP + "/version";
    public static final String LABEL_TRACK = GROUP + "/track";
    public static final String LABEL_TRAINING = GROUP + "/training";
    public static final String LABEL_DEPLOYMENT = GROUP + "/deployment";

    /**
     * On a ModelDeployment: one of promote, promote-full, abort, retry, pause, resume. Consumed (removed) by the operator,
     * which records what it did in status.lastAction.
     */
    public static final String ANNOTATION_ACTION = GROUP + "/action";
    /** On a ModelVersion: any new value asks for validation to run again (after the artifact store was fixed). */
    public static final String ANNOTATION_REVALIDATE = GROUP + "/revalidate";

    /** Model family names become label values and object name prefixes: a DNS-1123 label, short enough for "-v<N>". */
    public static final String MODEL_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    public static final int MODEL_NAME_MAX_LENGTH = 52;
    /** Artifact and dataset locations the operator and the runtime know how to read. */
    public static final String ARTIFACT_URI_PATTERN = "^(pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?/[^\\s]+|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^\\s]+|https?://[^\\s/]+(/[^\\s]*)?)$";
    public static final String SHA256_PATTERN = "^[a-f0-9]{64}$";
    /** A Go-style duration as Kubernetes tools write them: 30s, 5m, 1h30m, 250ms. */
    /** Longest duration string the API takes ("1h30m15s500ms" is 13 characters). */
    public static final int DURATION_MAX_LENGTH = 32;

    /** Longest warm-up request a version carries (it travels in the pods' environment). */
    public static final int WARMUP_INPUT_MAX_LENGTH = 16384;

    /** Longest hyperparameter value (recorded on the training and, as lineage, on the version). */
    public static final int HYPERPARAMETER_MAX_LENGTH = 1024;

    public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

    private ModelOps() {
    }
}
