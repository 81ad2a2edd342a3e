package dev.modelops.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import dev.modelops.onnx.ElementType;
import dev.modelops.onnx.OnnxModelBuilder;
import dev.modelops.onnx.OnnxModelBuilder.Dim;
import dev.modelops.runtime.Models;
import dev.modelops.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.modelops.runtime.grpc.v2.InferTensorContents;
import dev.modelops.runtime.grpc.v2.ModelInferRequest;
import dev.modelops.runtime.grpc.v2.ModelInferResponse;
import dev.modelops.runtime.grpc.v2.ModelMetadataRequest;
import dev.modelops.runtime.grpc.v2.ModelMetadataResponse;
import dev.modelops.runtime.grpc.v2.ModelReadyRequest;
import dev.modelops.runtime.grpc.v2.ServerLiveRequest;
import dev.modelops.runtime.grpc.v2.ServerMetadataRequest;
import dev.modelops.runtime.grpc.v2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** inference.GRPCInferenceService with a real gRPC client: every datatype typed and raw, and the error codes. */
class GrpcInferenceTest {

    @TempDir
    Path dir;

    private interface Calls {
        void run(GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub, TestServer server) throws Exception;
    }

    private void withServer(byte[] model, Calls calls) throws Exception {
        try (TestServer server = new TestServer(Files.write(dir.resolve("model.onnx"), model), Map.of())) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.server.grpcPort())
                    .usePlaintext().build();
            try {
                calls.run(GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS),
                        server);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Identity for every datatype that has a typed contents field. */
    static byte[] typedModel() {
        Dim batch = Dim.named("batch");
        OnnxModelBuilder model = OnnxModelBuilder.graph("typed");
        List<ElementType> types = List.of(ElementType.BOOL, ElementType.INT8, ElementType.INT16, ElementType.INT32,
                ElementType.INT64, ElementType.UINT8, ElementType.FLOAT, ElementType.DOUBLE, ElementType.STRING);
        for (ElementType type : types) {
            model.input("in_" + type.datatype(), type, batch, Dim.of(2));
            model.node("Identity", List.of("in_" + type.datatype()), List.of("out_" + type.datatype()));
        }
        for (ElementType type : types) {
            model.output("out_" + type.datatype(), type, batch, Dim.of(2));
        }
        return model.build();
    }

    private static ModelInferRequest.InferInputTensor.Builder input(String name, String datatype, long... shape) {
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName(name).setDatatype(datatype);
        for (long dim : shape) {
            input.addShape(dim);
        }
        return input;
    }

    @Test
    void healthAndMetadata() throws Exception {
        withServer(Models.multiTypeModel(), (stub, server) -> {
            assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
            assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
            assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("iris").setVersion("3").build())
                    .getReady()).isTrue();
            assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo(
                    "modelops-runtime");
            ModelMetadataResponse metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("iris")
                    .build());
            assertThat(metadata.getVersionsList()).containsExactly("3");
            assertThat(metadata.getInputsList()).extracting(ModelMetadataResponse.TensorMetadata::getDatatype)
                    .containsExactly("FP32", "INT64", "BOOL", "FP64", "FP16", "INT8", "INT16", "INT32", "UINT8",
                            "BYTES");
            assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 3L);
            assertThatThrownBy(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).contains("unknown model 'nope'");
                    });
        });
    }

    @Test
    void everyTypedContentsFieldRoundTrips() throws Exception {
        withServer(typedModel(), (stub, server) -> {
            ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("iris").setId("typed")
                    .addInputs(input("in_BOOL", "BOOL", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addBoolContents(true).addBoolContents(false)))
                    .addInputs(input("in_INT8", "INT8", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addIntContents(-128).addIntContents(127)))
                    .addInputs(input("in_INT16", "INT16", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addIntContents(-32768).addIntContents(32767)))
                    .addInputs(input("in_INT32", "INT32", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addIntContents(Integer.MIN_VALUE).addIntContents(7)))
                    .addInputs(input("in_INT64", "INT64", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addInt64Contents(Long.MIN_VALUE).addInt64Contents(9007199254740993L)))
                    .addInputs(input("in_UINT8", "UINT8", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addUintContents(255).addUintContents(0)))
                    .addInputs(input("in_FP32", "FP32", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addFp32Contents(0.1f).addFp32Contents(-3.5f)))
                    .addInputs(input("in_FP64", "FP64", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addFp64Contents(1e-300).addFp64Contents(Math.PI)))
                    .addInputs(input("in_BYTES", "BYTES", 1, 2).setContents(InferTensorContents.newBuilder()
                            .addBytesContents(ByteString.copyFromUtf8("héllo")).addBytesContents(ByteString.EMPTY)))
                    .build();
            ModelInferResponse reply = stub.modelInfer(request);
            assertThat(reply.getId()).isEqualTo("typed");
            assertThat(reply.getModelVersion()).isEqualTo("3");
            assertThat(reply.getRawOutputContentsCount()).isZero();
            assertThat(reply.getOutputsCount()).isEqualTo(9);
            for (int i = 0; i < 9; i++) {
                ModelInferResponse.InferOutputTensor output = reply.getOutputs(i);
                ModelInferRequest.InferInputTensor input = request.getInputs(i);
                assertThat(output.getName()).isEqualTo(input.getName().replace("in_", "out_"));
                assertThat(output.getDatatype()).isEqualTo(input.getDatatype());
                assertThat(output.getShapeList()).containsExactly(1L, 2L);
                assertThat(output.getContents()).isEqualTo(input.getContents());
            }
            // Out of range, too few elements, the wrong field: INVALID_ARGUMENT with the HTTP API's message.
            ModelInferRequest outOfRange = request.toBuilder().setInputs(1, input("in_INT8", "INT8", 1, 2)
                    .setContents(InferTensorContents.newBuilder().addIntContents(-129).addIntContents(0))).build();
            assertInvalid(stub, outOfRange, "element 0 of inputs[1].contents is out of range for datatype INT8");
            ModelInferRequest tooFew = request.toBuilder().setInputs(6, input("in_FP32", "FP32", 1, 2)
                    .setContents(InferTensorContents.newBuilder().addFp32Contents(1))).build();
            assertInvalid(stub, tooFew, "shape [1, 2] needs 2 elements, fp32_contents has 1");
            ModelInferRequest wrongType = request.toBuilder().setInputs(6, input("in_FP32", "FP64", 1, 2)).build();
            assertInvalid(stub, wrongType, "input 'in_FP32' has datatype FP32, not FP64");
            assertThat(stub.modelInfer(request).getOutputsCount()).isEqualTo(9);
        });
    }

    @Test
    void everyDatatypeRoundTripsAsRawContents() throws Exception {
        withServer(Models.multiTypeModel(), (stub, server) -> {
            ByteBuffer x = le(24);
            x.asFloatBuffer().put(new float[]{0.5f, 1.5f, -2, 3, 4, 5});
            ByteBuffer n = le(48);
            n.asLongBuffer().put(new long[]{1, 2, 3, -4, 5, 6});
            ByteBuffer d = le(32);
            d.asDoubleBuffer().put(new double[]{1.5, -3, 1e-3, 2});
            ByteBuffer h = le(8);
            h.asShortBuffer().put(new short[]{Half.fromFloat(0.5f), Half.fromFloat(-2.25f), Half.fromFloat(1024),
                    Half.fromFloat(0.1f)});
            ByteBuffer i16 = le(8);
            i16.asShortBuffer().put(new short[]{-32768, 32767, 5, -5});
            ByteBuffer i32 = le(16);
            i32.asIntBuffer().put(new int[]{Integer.MIN_VALUE, Integer.MAX_VALUE, 7, 0});
            byte[] strings = BinaryTensorTest.strings("héllo", "");
            ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("iris").setModelVersion("3")
                    .addInputs(input("x", "FP32", 2, 3)).addInputs(input("n", "INT64", 2, 3))
                    .addInputs(input("flag", "BOOL", 2, 1)).addInputs(input("d", "FP64", 2, 2))
                    .addInputs(input("h", "FP16", 2, 2)).addInputs(input("i8", "INT8", 2, 2))
                    .addInputs(input("i16", "INT16", 2, 2)).addInputs(input("i32", "INT32", 2, 2))
                    .addInputs(input("u8", "UINT8", 2, 2)).addInputs(input("s", "BYTES", 2, 1))
                    .addRawInputContents(ByteString.copyFrom(x.array()))
                    .addRawInputContents(ByteString.copyFrom(n.array()))
                    .addRawInputContents(ByteString.copyFrom(new byte[]{1, 0}))
                    .addRawInputContents(ByteString.copyFrom(d.array()))
                    .addRawInputContents(ByteString.copyFrom(h.array()))
                    .addRawInputContents(ByteString.copyFrom(new byte[]{-128, 127, 0, -1}))
                    .addRawInputContents(ByteString.copyFrom(i16.array()))
                    .addRawInputContents(ByteString.copyFrom(i32.array()))
                    .addRawInputContents(ByteString.copyFrom(new byte[]{0, (byte) 255, (byte) 128, 1}))
                    .addRawInputContents(ByteString.copyFrom(strings)).build();
            ModelInferResponse reply = stub.modelInfer(request);
            assertThat(reply.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
                    .containsExactly("sum", "not_flag", "d2", "h_out", "i8_out", "i16_out", "i32_out", "u8_out",
                            "s_out");
            assertThat(reply.getRawOutputContentsCount()).isEqualTo(9);
            ByteBuffer sum = reply.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] expectedSum = {1.5f, 3.5f, 1, -1, 9, 11};
            for (float expected : expectedSum) {
                assertThat(sum.getFloat()).isCloseTo(expected, within(1e-6f));
            }
            assertThat(reply.getRawOutputContents(1).toByteArray()).containsExactly(0, 1);
            assertThat(reply.getRawOutputContents(2).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                    .getDouble(0)).isEqualTo(2.25);
            assertThat(reply.getRawOutputContents(3).toByteArray()).isEqualTo(h.array());
            assertThat(reply.getRawOutputContents(4).toByteArray()).containsExactly(-128, 127, 0, -1);
            assertThat(reply.getRawOutputContents(5).toByteArray()).isEqualTo(i16.array());
            assertThat(reply.getRawOutputContents(6).toByteArray()).isEqualTo(i32.array());
            assertThat(reply.getRawOutputContents(7).toByteArray()).containsExactly(0, 255, 128, 1);
            assertThat(reply.getRawOutputContents(8).toByteArray()).isEqualTo(strings);
            for (ModelInferResponse.InferOutputTensor output : reply.getOutputsList()) {
                assertThat(output.hasContents()).isFalse();
            }

            // Truncated raw contents, a missing raw entry, typed contents mixed in.
            ModelInferRequest truncated = request.toBuilder().setRawInputContents(0, ByteString.copyFrom(x.array(),
                    0, 20)).build();
            assertInvalid(stub, truncated, "binary_data_size 20 does not match shape [2, 3] of FP32 (24 bytes)");
            ModelInferRequest missing = request.toBuilder().clearRawInputContents().addAllRawInputContents(request
                    .getRawInputContentsList().subList(0, 9)).build();
            assertInvalid(stub, missing, "raw_input_contents has 9 entries for 10 inputs");
            ModelInferRequest mixed = request.toBuilder().setInputs(0, input("x", "FP32", 2, 3).setContents(
                    InferTensorContents.newBuilder().addFp32Contents(1))).build();
            assertInvalid(stub, mixed, "has contents although the request uses raw_input_contents");
            assertThat(stub.modelInfer(request).getRawOutputContentsCount()).isEqualTo(9);
            assertThat(InferenceServerTest.sample(server.metrics(), "modelops_inference_requests_total",
                    "outcome=\"client_error\"")).isEqualTo(3);
            assertThat(InferenceServerTest.sample(server.metrics(), "modelops_inference_requests_total",
                    "outcome=\"success\"")).isEqualTo(2);
            assertThat(InferenceServerTest.sample(server.metrics(), "modelops_inference_in_flight_requests"))
                    .isZero();
        });
    }

    @Test
    void anUnknownModelIsNotFoundAndAnMlpAnswersLikeOverHttp() throws Exception {
        Models.Mlp mlp = Models.Mlp.random(4, 16, 3, 7);
        withServer(mlp.onnx(0), (stub, server) -> {
            ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("iris").addInputs(input("input",
                    "FP32", 1, 4).setContents(
                            InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2)
                                    .addFp32Contents(3).addFp32Contents(4)))
                    .build();
            ModelInferResponse reply = stub.modelInfer(request);
            double[] expected = mlp.predict(new float[]{1, 2, 3, 4});
            for (int k = 0; k < 3; k++) {
                assertThat(reply.getOutputs(0).getContents().getFp32Contents(k)).isCloseTo((float) expected[k],
                        within(1e-5f));
            }
            assertThatThrownBy(() -> stub.modelInfer(request.toBuilder().setModelName("nope").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.NOT_FOUND));
            assertThatThrownBy(() -> stub.modelInfer(request.toBuilder().setModelVersion("9").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus()
                            .getDescription()).contains("has no version '9'"));
        });
    }

    private static void assertInvalid(GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub,
            ModelInferRequest request, String message) {
        assertThatThrownBy(() -> stub.modelInfer(request)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
