package dev.modelops.runtime.validate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtException;
import dev.modelops.runtime.fetch.ArtifactFetcher;
import dev.modelops.contract.FailureReason;
import dev.modelops.contract.RuntimeContract;
import dev.modelops.runtime.fetch.FetchException;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;
import dev.modelops.runtime.server.WarmUp;

/**
 * What the validation Job does: fetch the artifact through the same code the inference pods use, load it with the
 * same {@link ModelSession} the server uses, run the same warm-up inference, and report the signature and timings.
 */
public final class ModelValidator {

    private ModelValidator() {
    }

    /** The report the operator expects; failures are thrown with their reason. */
    public static Map<String, Object> validate(ArtifactFetcher fetcher, String uri, String expectedSha256,
            Path workDir, Path warmupInput) throws FetchException {
        ArtifactFetcher.Fetched fetched = fetcher.fetch(uri, expectedSha256, workDir.resolve("model.onnx"));
        long loadStart = System.nanoTime();
        try (ModelSession session = load(fetched.path())) {
            long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
            Map<String, Object> signature = new LinkedHashMap<>();
            signature.put("inputs", describe(session.signature().inputs()));
            signature.put("outputs", describe(session.signature().outputs()));
            Map<String, TensorData> inputs;
            try {
                inputs = warmupInput != null
                        ? WarmUp.sample(warmupInput, session.signature())
                        : WarmUp.zeros(session.signature());
            } catch (IllegalArgumentException e) {
                // The version's own sample does not fit its model: a defect of the version the user must fix.
                throw new FetchException(FailureReason.WarmupFailed, e.getMessage(), e);
            }
            WarmUp.Result warmup = WarmUp.run(session, inputs, false);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put(RuntimeContract.REPORT_OK, true);
            report.put(RuntimeContract.REPORT_SHA256, fetched.sha256());
            report.put(RuntimeContract.REPORT_SHA256_VERIFIED, fetched.sha256Verified());
            report.put(RuntimeContract.REPORT_SIZE_BYTES, fetched.sizeBytes());
            report.put(RuntimeContract.REPORT_LOAD_MILLIS, loadMillis);
            if (warmup.ok()) {
                report.put(RuntimeContract.REPORT_WARMUP_MILLIS, warmup.nanos() / 1_000_000);
            } else {
                String error = "the warm-up inference on " + (warmupInput != null ? "the sample input" : "zeros")
                        + " failed (the model loads and is served anyway): " + warmup.error();
                System.err.println(error);
                report.put(RuntimeContract.REPORT_WARMUP_ERROR, error);
            }
            report.put(RuntimeContract.REPORT_SIGNATURE, signature);
            return report;
        } catch (OrtException e) {
            throw new FetchException(FailureReason.LoadFailed, "closing the ONNX Runtime session: " + e.getMessage(),
                    e);
        }
    }

    private static ModelSession load(Path model) throws FetchException {
        try {
            return ModelSession.load(model, 0, 0, 0);
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

    private static List<Map<String, Object>> describe(List<ModelSession.TensorSpec> specs) {
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (ModelSession.TensorSpec spec : specs) {
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", spec.name());
            tensor.put("datatype", spec.datatype());
            tensor.put("shape", spec.shape());
            tensors.add(tensor);
        }
        return tensors;
    }
}
