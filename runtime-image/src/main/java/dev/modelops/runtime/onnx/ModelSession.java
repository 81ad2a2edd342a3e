package dev.modelops.runtime.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.modelops.onnx.ElementType;

/** One ONNX Runtime session for one model, with the model's signature read from the model itself. */
public final class ModelSession implements AutoCloseable {

    /** A declared input or output; -1 marks a dynamic dimension, a null type one that is not a tensor. */
    public record TensorSpec(String name, ElementType type, long[] shape) {

        public String datatype() {
            return type == null ? "UNSUPPORTED" : type.datatype();
        }

        public boolean dynamicFirstDimension() {
            return shape.length > 0 && shape[0] < 0;
        }
    }

    public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

        /**
         * Requests can be merged along the first dimension when every input and output has a dynamic first
         * dimension and no input has another dynamic dimension (two requests' rows then always stack).
         */
        public boolean batchable() {
            return inputs.stream().allMatch(in -> in.dynamicFirstDimension()
                    && Arrays.stream(in.shape()).skip(1).allMatch(d -> d >= 0))
                    && outputs.stream().allMatch(TensorSpec::dynamicFirstDimension);
        }

        public TensorSpec input(String name) {
            return inputs.stream().filter(in -> in.name().equals(name)).findFirst().orElse(null);
        }

        public TensorSpec output(String name) {
            return outputs.stream().filter(out -> out.name().equals(name)).findFirst().orElse(null);
        }
    }

    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Signature signature;
    private final Threads threads;

    private ModelSession(OrtEnvironment env, OrtSession.SessionOptions options, OrtSession session, Threads threads)
            throws OrtException {
        this.threads = threads;
        this.env = env;
        this.options = options;
        this.session = session;
        this.signature = new Signature(describe(session.getInputInfo()), describe(session.getOutputInfo()));
    }

    /**
     * The thread settings a session is created with: {@code intraOpThreads} and {@code interOpThreads} as given,
     * 0 meaning automatic, resolved against the CPUs the container may use.
     */
    public record Threads(int intraOp, int interOp, boolean spinning) {

        /**
         * Automatic intra-op threads: the CPUs the container may use (the cgroup quota, not the host's cores) less
         * {@code reservedCpus}, the threads that must keep running beside the model (the server's event loops), at
         * least one; spinning off. Measured on 2 CPUs (runtime-image/README.md): one intra-op thread and the event
         * loop on the other core served 14-54 % more requests at concurrency 8 and 32 than two intra-op threads
         * that left the event loop to share a core, and a spinning pool keeps every core busy between operators
         * and starves the event loop outright.
         */
        public static Threads resolve(int intraOpThreads, int interOpThreads, int cpus, int reservedCpus) {
            int intra = intraOpThreads > 0 ? intraOpThreads : Math.max(1, cpus - Math.max(0, reservedCpus));
            return new Threads(intra, interOpThreads > 0 ? interOpThreads : 1, false);
        }
    }

    /**
     * Loads a model; thread counts of 0 are automatic (see {@link Threads#resolve}), leaving {@code reservedCpus}
     * of the container's CPUs to other busy threads.
     */
    public static ModelSession load(Path model, int intraOpThreads, int interOpThreads, int reservedCpus)
            throws OrtException {
        return load(model, Threads.resolve(intraOpThreads, interOpThreads, CpuLimit.available(), reservedCpus));
    }

    public static ModelSession load(Path model, Threads threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads.intraOp());
            options.setInterOpNumThreads(threads.interOp());
            options.addConfigEntry("session.intra_op.allow_spinning", threads.spinning() ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", threads.spinning() ? "1" : "0");
            return new ModelSession(env, options, env.createSession(model.toString(), options), threads);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    public Threads threads() {
        return threads;
    }

    public Signature signature() {
        return signature;
    }

    /** Runs the model on every output. */
    public Map<String, TensorData> run(Map<String, TensorData> inputs) throws OrtException {
        return run(inputs, null);
    }

    /** Runs the model; {@code outputs} null means all outputs. Results come in the model's output order. */
    public Map<String, TensorData> run(Map<String, TensorData> inputs, Set<String> outputs) throws OrtException {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TensorData> input : inputs.entrySet()) {
                tensors.put(input.getKey(), input.getValue().toOnnx(env));
            }
            try (OrtSession.Result result = outputs == null ? session.run(tensors) : session.run(tensors, outputs)) {
                Map<String, TensorData> values = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> output : result) {
                    if (!(output.getValue() instanceof OnnxTensor tensor)) {
                        throw new UnsupportedOperationException(
                                "output " + output.getKey() + " is not a tensor and cannot be served");
                    }
                    values.put(output.getKey(), TensorData.fromOnnx(tensor));
                }
                return values;
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            options.close();
        }
    }

    private static List<TensorSpec> describe(Map<String, NodeInfo> nodes) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (node.getInfo() instanceof TensorInfo info) {
                specs.add(new TensorSpec(node.getName(), OrtTypes.of(info.onnxType), info.getShape()));
            } else {
                specs.add(new TensorSpec(node.getName(), null, new long[0]));
            }
        }
        return List.copyOf(specs);
    }
}
