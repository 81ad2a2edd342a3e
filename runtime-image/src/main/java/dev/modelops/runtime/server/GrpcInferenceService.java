package dev.modelops.runtime.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import com.google.protobuf.ByteString;

import dev.modelops.onnx.ElementType;
import dev.modelops.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.modelops.runtime.grpc.v2.InferTensorContents;
import dev.modelops.runtime.grpc.v2.ModelInferRequest;
import dev.modelops.runtime.grpc.v2.ModelInferResponse;
import dev.modelops.runtime.grpc.v2.ModelMetadataRequest;
import dev.modelops.runtime.grpc.v2.ModelMetadataResponse;
import dev.modelops.runtime.grpc.v2.ModelReadyRequest;
import dev.modelops.runtime.grpc.v2.ModelReadyResponse;
import dev.modelops.runtime.grpc.v2.ServerLiveRequest;
import dev.modelops.runtime.grpc.v2.ServerLiveResponse;
import dev.modelops.runtime.grpc.v2.ServerMetadataRequest;
import dev.modelops.runtime.grpc.v2.ServerMetadataResponse;
import dev.modelops.runtime.grpc.v2.ServerReadyRequest;
import dev.modelops.runtime.grpc.v2.ServerReadyResponse;
import dev.modelops.runtime.metrics.InferenceMetrics;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code inference.GRPCInferenceService}: the Open Inference Protocol over gRPC, through the HTTP server's model
 * (the same checks, batcher and metrics). Errors carry the HTTP API's messages with the matching gRPC code:
 * INVALID_ARGUMENT for bad input, NOT_FOUND for an unknown model or version, UNAVAILABLE when overloaded or not
 * ready, INTERNAL when ONNX Runtime fails. Tensors come as typed {@code contents} or as {@code raw_input_contents}
 * (little-endian, as the binary HTTP extension); the response is raw ({@code raw_output_contents}) when the request
 * was, or when an output is FP16 or BF16 (which have no typed field), typed otherwise.
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private final InferenceServer server;
    /** Where responses are built and sent: never the batcher's thread, which should only run batches. */
    private final Executor responses;

    GrpcInferenceService(InferenceServer server, Executor responses) {
        this.server = server;
        this.responses = responses;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
        response.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
        response.onCompleted();
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        response.onNext(ServerReadyResponse.newBuilder().setReady(server.ready()).build());
        response.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        ApiException unknown = server.unknownModel(request.getName(), version(request.getVersion()));
        if (unknown != null) {
            response.onError(status(unknown));
            return;
        }
        response.onNext(ModelReadyResponse.newBuilder().setReady(server.ready()).build());
        response.onCompleted();
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> response) {
        response.onNext(ServerMetadataResponse.newBuilder().setName(InferenceServer.SERVER_NAME).setVersion(
                InferenceServer.SERVER_VERSION).addExtensions("binary_tensor_data").build());
        response.onCompleted();
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
        ApiException unknown = server.unknownModel(request.getName(), version(request.getVersion()));
        ModelService model = server.model;
        if (unknown == null && model == null) {
            unknown = new ApiException(503, "the model is still loading", null);
        }
        if (unknown != null) {
            response.onError(status(unknown));
            return;
        }
        ModelMetadataResponse.Builder metadata = ModelMetadataResponse.newBuilder().setName(server.config
                .modelName()).addVersions(server.config.modelVersion()).setPlatform("onnxruntime_onnx");
        for (ModelSession.TensorSpec spec : model.signature().inputs()) {
            metadata.addInputs(tensor(spec));
        }
        for (ModelSession.TensorSpec spec : model.signature().outputs()) {
            metadata.addOutputs(tensor(spec));
        }
        response.onNext(metadata.build());
        response.onCompleted();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        long start = System.nanoTime();
        server.inFlight.incrementAndGet();
        InferenceRequest parsed;
        ModelService model = server.model;
        try {
            ApiException refused = server.unknownModel(request.getModelName(), version(request.getModelVersion()));
            if (refused == null && (server.draining || model == null)) {
                refused = new ApiException(503, server.draining ? "shutting down" : "the model is still loading",
                        null);
            }
            if (refused != null) {
                throw refused;
            }
            parsed = parse(request, model);
        } catch (RuntimeException e) {
            fail(response, start, e);
            return;
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        model.infer(parsed, server.alone()).whenCompleteAsync((outputs, failure) -> {
            if (failure != null) {
                fail(response, start, failure);
                return;
            }
            ModelInferResponse reply;
            try {
                reply = reply(request, outputs, raw);
            } catch (RuntimeException e) {
                fail(response, start, e);
                return;
            }
            server.inFlight.decrementAndGet();
            server.metrics.request(InferenceMetrics.Outcome.success, System.nanoTime() - start);
            response.onNext(reply);
            response.onCompleted();
        }, responses);
    }

    private void fail(StreamObserver<?> response, long start, Throwable failure) {
        InferenceServer.Failure classified = InferenceServer.classify(failure);
        server.inFlight.decrementAndGet();
        server.metrics.request(classified.outcome(), System.nanoTime() - start);
        response.onError(status(classified.error()));
    }

    /** The same checks as the HTTP API's, with the same messages and fields. */
    private static InferenceRequest parse(ModelInferRequest request, ModelService model) {
        InferenceRequest.Checker checker = model.checker();
        int raws = request.getRawInputContentsCount();
        if (raws > 0 && raws != request.getInputsCount()) {
            throw ApiException.badRequest("raw_input_contents has " + raws + " entries for " + request
                    .getInputsCount() + " inputs; give one per input, in the order of inputs", "raw_input_contents");
        }
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            String at = "inputs[" + i + "]";
            long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
            if (Arrays.stream(shape).anyMatch(d -> d < 0 || d > Integer.MAX_VALUE)) {
                throw ApiException.badRequest("shape dimensions must be non-negative integers", at + ".shape");
            }
            ModelSession.TensorSpec spec = checker.check(at, input.getName().isEmpty() ? null : input.getName(),
                    input.getDatatype().isEmpty() ? null : input.getDatatype(), shape);
            TensorData tensor;
            if (raws > 0) {
                if (input.hasContents()) {
                    throw ApiException.badRequest("input '" + input.getName() + "' has contents although the"
                            + " request uses raw_input_contents", at + ".contents");
                }
                byte[] raw = request.getRawInputContents(i).toByteArray();
                tensor = BinaryTensors.decode(spec.type(), shape, raw, 0, raw.length, "raw_input_contents[" + i
                        + "]");
            } else {
                tensor = typed(spec.type(), shape, input.getContents(), at + ".contents");
            }
            checker.put(input.getName(), tensor);
        }
        Map<String, Boolean> requested = new LinkedHashMap<>();
        for (int i = 0; i < request.getOutputsCount(); i++) {
            String name = request.getOutputs(i).getName();
            checker.checkOutput("outputs[" + i + "]", name.isEmpty() ? null : name);
            requested.put(name, null);
        }
        return checker.finish(request.getId().isEmpty() ? null : request.getId(), request.getInputsCount() > 0,
                requested, false);
    }

    /** A tensor from the {@code contents} field that matches its datatype. */
    private static TensorData typed(ElementType type, long[] shape, InferTensorContents contents, String field) {
        long expected = TensorData.elementCount(shape);
        int count = switch (type) {
            case BOOL -> contents.getBoolContentsCount();
            case INT8, INT16, INT32 -> contents.getIntContentsCount();
            case INT64 -> contents.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
            case UINT64 -> contents.getUint64ContentsCount();
            case FLOAT -> contents.getFp32ContentsCount();
            case DOUBLE -> contents.getFp64ContentsCount();
            case STRING -> contents.getBytesContentsCount();
            case FLOAT16, BFLOAT16 -> throw ApiException.badRequest(type.datatype() + " has no typed contents field;"
                    + " send it in raw_input_contents", field);
        };
        if (count != expected) {
            throw ApiException.badRequest("shape " + Arrays.toString(shape) + " needs " + expected + " elements, "
                    + contentsField(type) + " has " + count, field);
        }
        if (type == ElementType.STRING) {
            String[] strings = new String[count];
            for (int i = 0; i < count; i++) {
                strings[i] = contents.getBytesContents(i).toString(StandardCharsets.UTF_8);
            }
            return TensorData.ofStrings(shape, strings);
        }
        ByteBuffer buffer = ByteBuffer.allocate(count * type.byteSize()).order(TensorData.ORDER);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case BOOL -> buffer.put((byte) (contents.getBoolContents(i) ? 1 : 0));
                case INT8 -> buffer.put((byte) ranged(contents.getIntContents(i), Byte.MIN_VALUE, Byte.MAX_VALUE, type,
                        field, i));
                case INT16 -> buffer.putShort((short) ranged(contents.getIntContents(i), Short.MIN_VALUE,
                        Short.MAX_VALUE, type, field, i));
                case INT32 -> buffer.putInt(contents.getIntContents(i));
                case INT64 -> buffer.putLong(contents.getInt64Contents(i));
                case UINT8 -> buffer.put((byte) ranged(Integer.toUnsignedLong(contents.getUintContents(i)), 0, 0xff,
                        type, field, i));
                case UINT16 -> buffer.putShort((short) ranged(Integer.toUnsignedLong(contents.getUintContents(i)), 0,
                        0xffff, type, field, i));
                case UINT32 -> buffer.putInt(contents.getUintContents(i));
                case UINT64 -> buffer.putLong(contents.getUint64Contents(i));
                case FLOAT -> buffer.putFloat(contents.getFp32Contents(i));
                case DOUBLE -> buffer.putDouble(contents.getFp64Contents(i));
                default -> throw new IllegalStateException("no typed contents for " + type);
            }
        }
        return TensorData.ofBytes(type, shape, buffer.array());
    }

    private static long ranged(long value, long min, long max, ElementType type, String field, int index) {
        if (value < min || value > max) {
            throw ApiException.badRequest("element " + index + " of " + field + " is out of range for datatype "
                    + type.datatype(), field);
        }
        return value;
    }

    private static String contentsField(ElementType type) {
        return switch (type) {
            case BOOL -> "bool_contents";
            case INT8, INT16, INT32 -> "int_contents";
            case INT64 -> "int64_contents";
            case UINT8, UINT16, UINT32 -> "uint_contents";
            case UINT64 -> "uint64_contents";
            case FLOAT -> "fp32_contents";
            case DOUBLE -> "fp64_contents";
            default -> "bytes_contents";
        };
    }

    private ModelInferResponse reply(ModelInferRequest request, Map<String, TensorData> outputs, boolean raw) {
        boolean rawOut = raw || outputs.values().stream().anyMatch(t -> t.type() == ElementType.FLOAT16 || t
                .type() == ElementType.BFLOAT16);
        ModelInferResponse.Builder reply = ModelInferResponse.newBuilder().setModelName(server.config.modelName())
                .setModelVersion(server.config.modelVersion()).setId(request.getId());
        for (Map.Entry<String, TensorData> output : outputs.entrySet()) {
            TensorData tensor = output.getValue();
            ModelInferResponse.InferOutputTensor.Builder out = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(output.getKey()).setDatatype(tensor.type().datatype());
            for (long dim : tensor.shape()) {
                out.addShape(dim);
            }
            if (rawOut) {
                reply.addRawOutputContents(ByteString.copyFrom(BinaryTensors.encode(tensor)));
            } else {
                out.setContents(contents(tensor));
            }
            reply.addOutputs(out);
        }
        return reply.build();
    }

    private static InferTensorContents contents(TensorData tensor) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        if (tensor.type() == ElementType.STRING) {
            for (String s : tensor.strings()) {
                contents.addBytesContents(ByteString.copyFromUtf8(s));
            }
            return contents.build();
        }
        ByteBuffer b = tensor.buffer();
        int n = (int) tensor.elementCount();
        for (int i = 0; i < n; i++) {
            switch (tensor.type()) {
                case BOOL -> contents.addBoolContents(b.get() != 0);
                case INT8 -> contents.addIntContents(b.get());
                case INT16 -> contents.addIntContents(b.getShort());
                case INT32 -> contents.addIntContents(b.getInt());
                case INT64 -> contents.addInt64Contents(b.getLong());
                case UINT8 -> contents.addUintContents(b.get() & 0xff);
                case UINT16 -> contents.addUintContents(b.getShort() & 0xffff);
                case UINT32 -> contents.addUintContents(b.getInt());
                case UINT64 -> contents.addUint64Contents(b.getLong());
                case FLOAT -> contents.addFp32Contents(b.getFloat());
                case DOUBLE -> contents.addFp64Contents(b.getDouble());
                default -> throw new IllegalStateException("no typed contents for " + tensor.type());
            }
        }
        return contents.build();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(ModelSession.TensorSpec spec) {
        ModelMetadataResponse.TensorMetadata.Builder tensor = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(spec.name()).setDatatype(spec.datatype());
        for (long dim : spec.shape()) {
            tensor.addShape(dim);
        }
        return tensor.build();
    }

    /** An empty version means "the server's choice" in the protocol. */
    private static String version(String version) {
        return version.isEmpty() ? null : version;
    }

    /** The gRPC status of an API error: the same message (and field) as over HTTP. */
    static io.grpc.StatusRuntimeException status(ApiException error) {
        Status code = switch (error.status()) {
            case 400, 415 -> Status.INVALID_ARGUMENT;
            case 404 -> Status.NOT_FOUND;
            case 413 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
        return code.withDescription(error.getMessage() + (error.field() == null
                ? ""
                : " (field " + error.field()
                        + ")"))
                .asRuntimeException();
    }
}
