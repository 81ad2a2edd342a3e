package dev.modelops.runtime.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.modelops.onnx.ElementType;
import dev.modelops.runtime.onnx.TensorData;

/**
 * The Open Inference Protocol's binary tensor extension: a tensor's elements as raw little-endian bytes in row-major
 * order, BOOL one byte per element, BYTES each element as a 4-byte little-endian length followed by its bytes. The
 * JSON part of a request or response is the first {@value #HEADER_LENGTH} bytes of the body.
 */
public final class BinaryTensors {

    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private BinaryTensors() {
    }

    /** Reads {@code size} bytes of {@code body} from {@code offset} as a tensor of {@code type} and {@code shape}. */
    static TensorData decode(ElementType type, long[] shape, byte[] body, int offset, int size, String field) {
        long count = TensorData.elementCount(shape);
        if (type == ElementType.STRING) {
            return strings(shape, count, body, offset, size, field);
        }
        long needed = count * type.byteSize();
        if (needed != size) {
            throw ApiException.badRequest("binary_data_size " + size + " does not match shape "
                    + Arrays.toString(shape) + " of " + type.datatype() + " (" + needed + " bytes)", field);
        }
        byte[] bytes = Arrays.copyOfRange(body, offset, offset + size);
        if (type == ElementType.BOOL) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (bytes[i] == 0 ? 0 : 1);
            }
        } else if (TensorData.ORDER != ByteOrder.LITTLE_ENDIAN) {
            swap(bytes, type.byteSize());
        }
        return TensorData.ofBytes(type, shape, bytes);
    }

    private static TensorData strings(long[] shape, long count, byte[] body, int offset, int size, String field) {
        ByteBuffer in = ByteBuffer.wrap(body, offset, size).order(ByteOrder.LITTLE_ENDIAN);
        String[] values = new String[(int) Math.min(count, size / 4)];
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw ApiException.badRequest("binary BYTES data ends after " + i + " of " + count
                        + " elements (each is a 4-byte length and its bytes)", field);
            }
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw ApiException.badRequest("binary BYTES element " + i + " declares " + Integer
                        .toUnsignedString(length) + " bytes, only " + in.remaining() + " remain", field);
            }
            values[i] = new String(body, in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
        }
        if (in.hasRemaining()) {
            throw ApiException.badRequest("binary BYTES data has " + in.remaining() + " bytes after its " + count
                    + " elements", field);
        }
        return TensorData.ofStrings(shape, values);
    }

    /** The tensor's elements as the extension sends them. */
    static byte[] encode(TensorData tensor) {
        if (tensor.type() == ElementType.STRING) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (String s : tensor.strings()) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(length.putInt(0, utf8.length).array());
                out.writeBytes(utf8);
            }
            return out.toByteArray();
        }
        if (TensorData.ORDER == ByteOrder.LITTLE_ENDIAN) {
            return tensor.bytes();
        }
        byte[] bytes = tensor.bytes().clone();
        swap(bytes, tensor.type().byteSize());
        return bytes;
    }

    private static void swap(byte[] bytes, int width) {
        for (int i = 0; i + width <= bytes.length; i += width) {
            for (int a = i, b = i + width - 1; a < b; a++, b--) {
                byte t = bytes[a];
                bytes[a] = bytes[b];
                bytes[b] = t;
            }
        }
    }
}
