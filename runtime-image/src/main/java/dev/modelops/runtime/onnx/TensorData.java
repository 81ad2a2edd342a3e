package dev.modelops.runtime.onnx;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.modelops.onnx.ElementType;

/**
 * A tensor's values independent of ONNX Runtime: numeric elements as bytes in the platform's native order (what
 * ONNX Runtime reads and writes), strings as a flat array in row-major order. Merging requests into a batch and
 * splitting the results are byte copies along the first dimension.
 */
public record TensorData(ElementType type, long[] shape, byte[] bytes, String[] strings) {

    public static final ByteOrder ORDER = ByteOrder.nativeOrder();

    public static TensorData ofBytes(ElementType type, long[] shape, byte[] bytes) {
        return new TensorData(type, shape, bytes, null);
    }

    public static TensorData ofStrings(long[] shape, String[] strings) {
        return new TensorData(ElementType.STRING, shape, null, strings);
    }

    public static TensorData ofFloats(long[] shape, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ORDER);
        buffer.asFloatBuffer().put(values);
        return ofBytes(ElementType.FLOAT, shape, buffer.array());
    }

    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** The values viewed as a buffer in native order (numeric types only). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).order(ORDER);
    }

    public float[] floats() {
        float[] values = new float[(int) elementCount()];
        buffer().asFloatBuffer().get(values);
        return values;
    }

    /** The tensors stacked along their first dimension; they must agree on type and on every other dimension. */
    public static TensorData concat(List<TensorData> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        TensorData first = parts.get(0);
        long[] shape = first.shape.clone();
        shape[0] = parts.stream().mapToLong(part -> part.shape[0]).sum();
        if (first.type == ElementType.STRING) {
            List<String> all = new ArrayList<>();
            parts.forEach(part -> all.addAll(Arrays.asList(part.strings)));
            return ofStrings(shape, all.toArray(String[]::new));
        }
        byte[] bytes = new byte[parts.stream().mapToInt(part -> part.bytes.length).sum()];
        int offset = 0;
        for (TensorData part : parts) {
            System.arraycopy(part.bytes, 0, bytes, offset, part.bytes.length);
            offset += part.bytes.length;
        }
        return ofBytes(first.type, shape, bytes);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of the first dimension. */
    public TensorData rows(long from, long to) {
        if (from == 0 && to == shape[0]) {
            return this;
        }
        long[] sliced = shape.clone();
        sliced[0] = to - from;
        long perRow = shape[0] == 0 ? 0 : elementCount() / shape[0];
        if (type == ElementType.STRING) {
            return ofStrings(sliced, Arrays.copyOfRange(strings, (int) (from * perRow), (int) (to * perRow)));
        }
        int rowBytes = (int) perRow * type.byteSize();
        return ofBytes(type, sliced, Arrays.copyOfRange(bytes, (int) from * rowBytes, (int) to * rowBytes));
    }

    public OnnxTensor toOnnx(OrtEnvironment env) throws OrtException {
        if (type == ElementType.STRING) {
            return OnnxTensor.createTensor(env, strings, shape);
        }
        OnnxJavaType javaType = OrtTypes.javaType(type);
        if (javaType == OnnxJavaType.UNKNOWN) {
            throw new UnsupportedOperationException(
                    "ONNX Runtime's Java API cannot create " + type.datatype() + " tensors");
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).order(ORDER);
        direct.put(bytes).flip();
        return OnnxTensor.createTensor(env, direct, shape, javaType);
    }

    public static TensorData fromOnnx(OnnxTensor tensor) throws OrtException {
        TensorInfo info = tensor.getInfo();
        ElementType type = OrtTypes.of(info.onnxType);
        long[] shape = info.getShape();
        if (type == ElementType.STRING) {
            List<String> flat = new ArrayList<>();
            flatten(tensor.getValue(), flat);
            return ofStrings(shape, flat.toArray(String[]::new));
        }
        if (type == null || OrtTypes.javaType(type) == OnnxJavaType.UNKNOWN) {
            throw new UnsupportedOperationException("ONNX Runtime's Java API cannot read " + info.onnxType
                    + " tensors");
        }
        ByteBuffer buffer = tensor.getByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return ofBytes(type, shape, bytes);
    }

    private static void flatten(Object value, List<String> into) {
        if (value instanceof String s) {
            into.add(s);
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                flatten(Array.get(value, i), into);
            }
        }
    }
}
