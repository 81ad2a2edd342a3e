package dev.modelops.runtime.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OrtException;
import dev.modelops.onnx.ElementType;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;

/**
 * The first inference after loading, on the version's sample input (an inference request body) or on zeros. Its
 * failure is reported, never fatal: zeros are not valid input for every model (integer division, Resize with zero
 * scales, Range with a zero delta), so a failed warm-up is no proof that the model is broken.
 */
public final class WarmUp {

    /**
     * How the warm-up went: the first run's duration, or the error of a failed one ({@code null} when it ran), and
     * the median of three more runs ({@code repeatNanos}, the model's cost once warm) when the first took less than
     * {@link #REPEAT_BELOW_NANOS}; -1 when not measured.
     */
    public record Result(long nanos, String error, long repeatNanos) {

        public Result(long nanos, String error) {
            this(nanos, error, -1);
        }

        public boolean ok() {
            return error == null;
        }
    }

    /** Models slower than this on their first run are not timed again (their warm cost decides nothing). */
    static final long REPEAT_BELOW_NANOS = 20_000_000;

    private WarmUp() {
    }

    /**
     * The inputs in {@code file}, a JSON inference request body checked against the model's signature; throws
     * {@link IllegalArgumentException} naming the problem.
     */
    public static Map<String, TensorData> sample(Path file, ModelSession.Signature signature) {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("the warm-up input " + file + " cannot be read: " + e);
        }
        try {
            return InferenceRequest.parse(body, signature, false).inputs();
        } catch (ApiException e) {
            throw new IllegalArgumentException("the warm-up input " + file + " does not fit the model: " + e
                    .getMessage() + (e.field() == null ? "" : " (" + e.field() + ")"));
        }
    }

    /**
     * Where the warm-up sample comes from: the file named by {@code file} if set, else the request body {@code inline}
     * (written to a file in the temporary directory, so that both take the same path), else none (zeros).
     */
    public static Path sampleFile(String file, String inline) {
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        if (inline == null || inline.isBlank()) {
            return null;
        }
        try {
            Path written = Files.createTempFile("modelops-warmup-", ".json");
            Files.writeString(written, inline);
            written.toFile().deleteOnExit();
            return written;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the warm-up request to the temporary directory", e);
        }
    }

    /** Zero-valued inputs, every dynamic dimension 1 (empty strings for BYTES). */
    public static Map<String, TensorData> zeros(ModelSession.Signature signature) {
        Map<String, TensorData> inputs = new LinkedHashMap<>();
        for (ModelSession.TensorSpec input : signature.inputs()) {
            if (input.type() == null) {
                throw new IllegalArgumentException("input " + input.name() + " is not a tensor");
            }
            long[] shape = Arrays.stream(input.shape()).map(d -> d < 0 ? 1 : d).toArray();
            int elements = (int) TensorData.elementCount(shape);
            if (input.type() == ElementType.STRING) {
                String[] empty = new String[elements];
                Arrays.fill(empty, "");
                inputs.put(input.name(), TensorData.ofStrings(shape, empty));
            } else {
                inputs.put(input.name(), TensorData.ofBytes(input.type(), shape,
                        new byte[elements * input.type().byteSize()]));
            }
        }
        return inputs;
    }

    /**
     * Runs one inference on {@code inputs}, and with {@code timeWarm} three more, timed, when the first was short (the
     * server decides with it whether a lone request may run on its event loop; validation has no use for it); a
     * failure is returned, not thrown.
     */
    public static Result run(ModelSession session, Map<String, TensorData> inputs, boolean timeWarm) {
        long start = System.nanoTime();
        try {
            session.run(inputs);
            long first = System.nanoTime() - start;
            if (!timeWarm || first >= REPEAT_BELOW_NANOS) {
                return new Result(first, null);
            }
            long[] repeats = new long[3];
            for (int i = 0; i < repeats.length; i++) {
                long again = System.nanoTime();
                session.run(inputs);
                repeats[i] = System.nanoTime() - again;
            }
            Arrays.sort(repeats);
            return new Result(first, null, repeats[1]);
        } catch (OrtException | RuntimeException e) {
            return new Result(System.nanoTime() - start, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
