package dev.modelops.contract;

/**
 * What the operator and the runtime image agree on, defined once: the operator writes pods with these names and
 * values, the runtime reads them. Both sides compile against this class, and tests on both sides check that what
 * one writes the other reads back unchanged.
 */
public final class RuntimeContract {

    /** The Open Inference Protocol over HTTP, metrics included. */
    public static final int HTTP_PORT = 8080;
    /** The Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}). */
    public static final int GRPC_PORT = 8081;

    public static final String PATH_LIVE = "/v2/health/live";
    public static final String PATH_READY = "/v2/health/ready";
    public static final String PATH_METRICS = "/metrics";

    /** Where the init container writes the model and the server reads it. */
    public static final String MODEL_DIR = "/mnt/models";
    public static final String MODEL_FILE = "model.onnx";
    public static final String MODEL_PATH = MODEL_DIR + "/" + MODEL_FILE;
    /** Where {@code pvc://<claim>/path} claims are mounted. */
    public static final String PVC_ROOT = "/mnt/pvc";
    public static final String TERMINATION_LOG = "/dev/termination-log";

    // Commands and their flags.
    public static final String COMMAND_SERVE = "serve";
    public static final String COMMAND_FETCH = "fetch";
    public static final String COMMAND_VALIDATE = "validate";
    public static final String FLAG_URI = "--uri";
    public static final String FLAG_SHA256 = "--sha256";
    public static final String FLAG_OUTPUT = "--output";
    public static final String FLAG_TERMINATION_LOG = "--termination-log";
    public static final String FLAG_WORK_DIR = "--work-dir";
    /** A JSON file with one inference request body (Open Inference Protocol) to warm up with instead of zeros. */
    public static final String FLAG_WARMUP_INPUT = "--warmup-input";

    // Environment of the serve command. Every one can also be given as a flag: MODELOPS_MAX_BATCH_SIZE is
    // --max-batch-size.
    public static final String ENV_MODEL_NAME = "MODELOPS_MODEL_NAME";
    public static final String ENV_MODEL_VERSION = "MODELOPS_MODEL_VERSION";
    public static final String ENV_MODEL_PATH = "MODELOPS_MODEL_PATH";
    public static final String ENV_TRACK = "MODELOPS_TRACK";
    public static final String ENV_HOST = "MODELOPS_HOST";
    public static final String ENV_PORT = "MODELOPS_PORT";
    public static final String ENV_GRPC_PORT = "MODELOPS_GRPC_PORT";
    public static final String ENV_INTRA_OP_THREADS = "MODELOPS_INTRA_OP_THREADS";
    public static final String ENV_INTER_OP_THREADS = "MODELOPS_INTER_OP_THREADS";
    public static final String ENV_MAX_BATCH_SIZE = "MODELOPS_MAX_BATCH_SIZE";
    /** A duration: {@code 2ms}, {@code 500us}, {@code 0}; a bare number is milliseconds. */
    public static final String ENV_MAX_BATCH_DELAY = "MODELOPS_MAX_BATCH_DELAY";
    public static final String ENV_QUEUE_CAPACITY = "MODELOPS_QUEUE_CAPACITY";
    public static final String ENV_CLASS_LABELS = "MODELOPS_CLASS_LABELS";
    public static final String ENV_CLASSIFIER_OUTPUT = "MODELOPS_CLASSIFIER_OUTPUT";
    public static final String ENV_WARMUP_INPUT = "MODELOPS_WARMUP_INPUT";
    /**
     * The warm-up request body itself (a ModelVersion's spec.warmupInput, set by the operator); used when
     * MODELOPS_WARMUP_INPUT (a file) is not set.
     */
    public static final String ENV_WARMUP_REQUEST = "MODELOPS_WARMUP_REQUEST";
    public static final String ENV_PVC_ROOT = "MODELOPS_PVC_ROOT";

    // Defaults of the serve command; the CRD documents these same values.
    public static final int DEFAULT_MAX_BATCH_SIZE = 32;
    public static final String DEFAULT_MAX_BATCH_DELAY = "0ms";
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    /** 0 lets the runtime size the pool from the CPUs the container may use. */
    public static final int DEFAULT_INTRA_OP_THREADS = 0;
    public static final int DEFAULT_INTER_OP_THREADS = 0;
    public static final String DEFAULT_TRACK = "stable";

    // Metrics the canary analysis reads (Prometheus text format at PATH_METRICS).
    public static final String METRIC_REQUESTS = "modelops_inference_requests_total";
    public static final String METRIC_REQUEST_DURATION = "modelops_inference_request_duration_seconds";
    public static final String METRIC_QUEUE_DURATION = "modelops_inference_queue_duration_seconds";
    public static final String METRIC_BATCH_SIZE = "modelops_inference_batch_size";
    public static final String METRIC_PREDICTIONS = "modelops_predictions_total";
    public static final String METRIC_QUEUE_DEPTH = "modelops_inference_queue_depth";
    /** Requests received and not yet answered: the per-pod metric autoscaling.targetConcurrency scales on. */
    public static final String METRIC_IN_FLIGHT = "modelops_inference_in_flight_requests";
    public static final String LABEL_MODEL = "model";
    public static final String LABEL_VERSION = "version";
    public static final String LABEL_TRACK = "track";
    public static final String LABEL_OUTCOME = "outcome";
    public static final String LABEL_CLASS = "class";
    /** The class label under which predictions beyond the first classes a model reports are counted. */
    public static final String OTHER_CLASS = "other";
    public static final String OUTCOME_SUCCESS = "success";
    public static final String OUTCOME_CLIENT_ERROR = "client_error";
    public static final String OUTCOME_SERVER_ERROR = "server_error";
    public static final String OUTCOME_REJECTED = "rejected";

    // The JSON report fetch and validate print and write to the termination log.
    public static final String REPORT_OK = "ok";
    public static final String REPORT_REASON = "reason";
    public static final String REPORT_MESSAGE = "message";
    public static final String REPORT_SHA256 = "sha256";
    public static final String REPORT_SHA256_VERIFIED = "sha256Verified";
    public static final String REPORT_SIZE_BYTES = "sizeBytes";
    public static final String REPORT_LOAD_MILLIS = "loadMillis";
    public static final String REPORT_WARMUP_MILLIS = "warmupMillis";
    /** Present when the warm-up inference failed on a model that loads: a warning, not a failure. */
    public static final String REPORT_WARMUP_ERROR = "warmupError";
    public static final String REPORT_SIGNATURE = "signature";

    private RuntimeContract() {
    }
}
