package dev.modelops.runtime.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import dev.modelops.runtime.onnx.ElementType;
import dev.modelops.runtime.onnx.TensorData;

/**
 * Open Inference Protocol JSON tensors to and from {@link TensorData}: {@code data} flat or nested in row-major
 * order; FP16 and BF16 as JSON numbers, BOOL as true/false, BYTES as strings.
 */
final class TensorCodec {

    private static final BigInteger UINT64_MAX = new BigInteger("18446744073709551615");

    private TensorCodec() {
    }

    /** Decodes {@code data} into a tensor of {@code shape}; {@code field} names the data in error messages. */
    static TensorData decode(ElementType type, long[] shape, JsonNode data, String field) {
        List<JsonNode> elements = new ArrayList<>();
        flatten(data, elements, field);
        long expected = TensorData.elementCount(shape);
        if (elements.size() != expected) {
            throw ApiException.badRequest("shape " + java.util.Arrays.toString(shape) + " needs " + expected
                    + " elements, data has " + elements.size(), field);
        }
        if (type == ElementType.STRING) {
            String[] strings = new String[elements.size()];
            for (int i = 0; i < strings.length; i++) {
                JsonNode element = elements.get(i);
                if (!element.isTextual()) {
                    throw element(field, i, "is not a string (datatype BYTES)");
                }
                strings[i] = element.textValue();
            }
            return TensorData.ofStrings(shape, strings);
        }
        ByteBuffer buffer = ByteBuffer.allocate(elements.size() * type.byteSize()).order(TensorData.ORDER);
        for (int i = 0; i < elements.size(); i++) {
            put(buffer, type, elements.get(i), field, i);
        }
        return TensorData.ofBytes(type, shape, buffer.array());
    }

    private static void put(ByteBuffer buffer, ElementType type, JsonNode element, String field, int index) {
        switch (type) {
            case BOOL -> {
                if (!element.isBoolean()) {
                    throw element(field, index, "is not true or false (datatype BOOL)");
                }
                buffer.put((byte) (element.booleanValue() ? 1 : 0));
            }
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> {
                if (!element.isNumber()) {
                    throw element(field, index, "is not a number (datatype " + type.datatype() + ")");
                }
                double value = element.doubleValue();
                switch (type) {
                    case FLOAT -> buffer.putFloat((float) value);
                    case DOUBLE -> buffer.putDouble(value);
                    case FLOAT16 -> buffer.putShort(Half.fromFloat((float) value));
                    default -> buffer.putShort(Half.bfloatFromFloat((float) value));
                }
            }
            default -> {
                if (!element.isIntegralNumber()) {
                    throw element(field, index, "is not an integer (datatype " + type.datatype() + ")");
                }
                BigInteger value = element.bigIntegerValue();
                BigInteger[] range = range(type);
                if (value.compareTo(range[0]) < 0 || value.compareTo(range[1]) > 0) {
                    throw element(field, index, "is out of range for datatype " + type.datatype());
                }
                long v = value.longValue();
                switch (type.byteSize()) {
                    case 1 -> buffer.put((byte) v);
                    case 2 -> buffer.putShort((short) v);
                    case 4 -> buffer.putInt((int) v);
                    default -> buffer.putLong(v);
                }
            }
        }
    }

    private static BigInteger[] range(ElementType type) {
        return switch (type) {
            case INT8 -> bounds(Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> bounds(Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> bounds(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> bounds(Long.MIN_VALUE, Long.MAX_VALUE);
            case UINT8 -> bounds(0, 0xff);
            case UINT16 -> bounds(0, 0xffff);
            case UINT32 -> bounds(0, 0xffffffffL);
            default -> new BigInteger[]{BigInteger.ZERO, UINT64_MAX};
        };
    }

    private static BigInteger[] bounds(long min, long max) {
        return new BigInteger[]{BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }

    private static ApiException element(String field, int index, String problem) {
        return ApiException.badRequest("element " + index + " of " + field + " " + problem, field);
    }

    private static void flatten(JsonNode node, List<JsonNode> into, String field) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("data is missing", field);
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("data must be an array", field);
        }
        for (JsonNode element : node) {
            if (element.isArray()) {
                flatten(element, into, field);
            } else {
                into.add(element);
            }
        }
    }

    /** Writes {@code "data": [...]} for a tensor, flat in row-major order. */
    static void encodeData(JsonGenerator json, TensorData tensor) throws IOException {
        json.writeFieldName("data");
        json.writeStartArray();
        int n = (int) tensor.elementCount();
        if (tensor.type() == ElementType.STRING) {
            for (String s : tensor.strings()) {
                json.writeString(s);
            }
            json.writeEndArray();
            return;
        }
        ByteBuffer b = tensor.buffer();
        for (int i = 0; i < n; i++) {
            switch (tensor.type()) {
                case FLOAT -> json.writeNumber(b.getFloat());
                case DOUBLE -> json.writeNumber(b.getDouble());
                case FLOAT16 -> json.writeNumber(Half.toFloat(b.getShort()));
                case BFLOAT16 -> json.writeNumber(Half.bfloatToFloat(b.getShort()));
                case BOOL -> json.writeBoolean(b.get() != 0);
                case INT8 -> json.writeNumber(b.get());
                case INT16 -> json.writeNumber(b.getShort());
                case INT32 -> json.writeNumber(b.getInt());
                case INT64 -> json.writeNumber(b.getLong());
                case UINT8 -> json.writeNumber(b.get() & 0xff);
                case UINT16 -> json.writeNumber(b.getShort() & 0xffff);
                case UINT32 -> json.writeNumber(b.getInt() & 0xffffffffL);
                case UINT64 -> json.writeNumber(new BigInteger(Long.toUnsignedString(b.getLong())));
                default -> throw new IllegalStateException("no JSON form for " + tensor.type());
            }
        }
        json.writeEndArray();
    }
}
