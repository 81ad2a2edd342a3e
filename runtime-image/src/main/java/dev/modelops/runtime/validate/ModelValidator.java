package dev.modelops.runtime.validate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.modelops.runtime.fetch.ArtifactFetcher;
import dev.modelops.runtime.fetch.FailureReason;
import dev.modelops.runtime.fetch.FetchException;

/**
 * What the validation Job does: fetch the artifact through the same code the inference pods use, load it with ONNX
 * Runtime, run one inference on zero-filled inputs, and report the signature and timings.
 */
public final class ModelValidator {

    private ModelValidator() {
    }

    /** The report the operator expects; failures are thrown with their reason. */
    public static Map<String, Object> validate(ArtifactFetcher fetcher, String uri, String expectedSha256,
            Path workDir) throws FetchException {
        ArtifactFetcher.Fetched fetched = fetcher.fetch(uri, expectedSha256, workDir.resolve("model.onnx"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long loadStart = System.nanoTime();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = load(env, fetched.path(), options)) {
            long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
            Map<String, Object> signature = new LinkedHashMap<>();
            signature.put("inputs", describe(session.getInputInfo()));
            signature.put("outputs", describe(session.getOutputInfo()));
            long warmupMillis = warmUp(env, session);

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("ok", true);
            report.put("sha256", fetched.sha256());
            report.put("sha256Verified", fetched.sha256Verified());
            report.put("sizeBytes", fetched.sizeBytes());
            report.put("loadMillis", loadMillis);
            report.put("warmupMillis", warmupMillis);
            report.put("signature", signature);
            return report;
        } catch (OrtException e) {
            throw new FetchException(FailureReason.LoadFailed, "ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static OrtSession load(OrtEnvironment env, Path model, OrtSession.SessionOptions options)
            throws FetchException {
        try {
            return env.createSession(model.toString(), options);
        } catch (OrtException e) {
            FailureReason reason = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF
                    || e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_GRAPH
                            ? FailureReason.InvalidModel
                            : FailureReason.LoadFailed;
            throw new FetchException(reason, (reason == FailureReason.InvalidModel
                    ? "not a valid ONNX model: "
                    : "ONNX Runtime could not load the model: ") + e.getMessage(), e);
        }
    }

    /** One inference with every input zero-filled, dynamic dimensions set to 1. */
    private static long warmUp(OrtEnvironment env, OrtSession session) throws FetchException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
                if (!(input.getValue().getInfo() instanceof TensorInfo info)) {
                    throw new FetchException(FailureReason.WarmupFailed,
                            "input " + input.getKey() + " is not a tensor; only tensor inputs can be served");
                }
                inputs.put(input.getKey(), zeros(env, info));
            }
            long start = System.nanoTime();
            try (OrtSession.Result ignored = session.run(inputs)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        } catch (OrtException e) {
            throw new FetchException(FailureReason.WarmupFailed, "the warm-up inference failed: " + e.getMessage(),
                    e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor zeros(OrtEnvironment env, TensorInfo info) throws OrtException, FetchException {
        long[] shape = info.getShape().clone();
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                shape[i] = 1;
            }
            elements *= shape[i];
        }
        if (info.type == OnnxJavaType.STRING) {
            String[] empty = new String[(int) elements];
            java.util.Arrays.fill(empty, "");
            return OnnxTensor.createTensor(env, empty, shape);
        }
        if (info.type == OnnxJavaType.UNKNOWN) {
            throw new FetchException(FailureReason.WarmupFailed,
                    "input type " + info.onnxType + " cannot be created from Java for the warm-up");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) (elements * info.type.size))
                .order(ByteOrder.nativeOrder());
        return OnnxTensor.createTensor(env, buffer, shape, info.type);
    }

    private static List<Map<String, Object>> describe(Map<String, NodeInfo> nodes) {
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", node.getName());
            if (node.getInfo() instanceof TensorInfo info) {
                tensor.put("datatype", Datatypes.of(info.onnxType));
                tensor.put("shape", info.getShape());
            } else {
                tensor.put("datatype", "UNSUPPORTED");
                tensor.put("shape", new long[0]);
            }
            tensors.add(tensor);
        }
        return tensors;
    }
}
