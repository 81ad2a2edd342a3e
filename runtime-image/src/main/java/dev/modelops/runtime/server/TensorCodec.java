package dev.modelops.runtime.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

import dev.modelops.onnx.ElementType;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;

/**
 * Open Inference Protocol JSON tensors to and from {@link TensorData}: {@code data} flat or nested in row-major
 * order; FP16 and BF16 as JSON numbers, BOOL as true/false, BYTES as strings.
 */
final class TensorCodec {

    private static final BigInteger UINT64_MAX = new BigInteger("18446744073709551615");

    /**
     * The JSON factory of every request and response: numbers parsed and written with Jackson's fast (and exact)
     * float parser and writer instead of the JDK's, which took most of the event loop's time on a 256-float request.
     */
    static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private TensorCodec() {
    }

    /**
     * Decodes {@code data} (the parser is on its first token) into a tensor of {@code shape}, straight into the
     * tensor's bytes; {@code field} names the data in error messages. Elements past the shape's count are checked
     * and counted, not stored.
     */
    static TensorData decode(ModelSession.TensorSpec spec, long[] shape, JsonParser parser, String field)
            throws IOException {
        ElementType type = spec.type();
        JsonToken first = parser.currentToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
            throw ApiException.badRequest("data is missing", field);
        }
        if (first != JsonToken.START_ARRAY) {
            throw ApiException.badRequest("data must be an array", field);
        }
        long expected = TensorData.elementCount(shape);
        if (expected > Integer.MAX_VALUE / Math.max(1, type.byteSize())) {
            throw ApiException.badRequest("shape " + Arrays.toString(shape) + " is too large", field);
        }
        int capacity = (int) expected;
        String[] strings = type == ElementType.STRING ? new String[capacity] : null;
        ByteBuffer buffer = type == ElementType.STRING
                ? null
                : ByteBuffer.allocate(capacity * type.byteSize()).order(TensorData.ORDER);
        int count = 0;
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_ARRAY) {
                depth--;
            } else if (token == null) {
                throw ApiException.badRequest("malformed JSON: the data array does not end", field);
            } else {
                boolean store = count < capacity;
                if (strings != null) {
                    if (token != JsonToken.VALUE_STRING) {
                        throw element(field, count, "is not a string (datatype BYTES)");
                    }
                    if (store) {
                        strings[count] = parser.getText();
                    }
                } else {
                    put(store ? buffer : null, type, parser, token, field, count);
                }
                parser.skipChildren();
                count++;
            }
        }
        if (count != expected) {
            throw ApiException.badRequest("shape " + Arrays.toString(shape) + " needs " + expected
                    + " elements, data has " + count, field);
        }
        return strings != null ? TensorData.ofStrings(shape, strings) : TensorData.ofBytes(type, shape, buffer.array());
    }

    /** Checks one element and writes it to {@code buffer} (null: check only). */
    private static void put(ByteBuffer buffer, ElementType type, JsonParser parser, JsonToken token, String field,
            int index) throws IOException {
        switch (type) {
            case BOOL -> {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw element(field, index, "is not true or false (datatype BOOL)");
                }
                if (buffer != null) {
                    buffer.put((byte) (token == JsonToken.VALUE_TRUE ? 1 : 0));
                }
            }
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> {
                if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw element(field, index, "is not a number (datatype " + type.datatype() + ")");
                }
                if (buffer == null) {
                    return;
                }
                // FP32 straight from the text: through a double it would be rounded twice.
                switch (type) {
                    case FLOAT -> buffer.putFloat(parser.getFloatValue());
                    case DOUBLE -> buffer.putDouble(parser.getDoubleValue());
                    case FLOAT16 -> buffer.putShort(Half.fromFloat(parser.getFloatValue()));
                    default -> buffer.putShort(Half.bfloatFromFloat(parser.getFloatValue()));
                }
            }
            default -> {
                if (token != JsonToken.VALUE_NUMBER_INT) {
                    throw element(field, index, "is not an integer (datatype " + type.datatype() + ")");
                }
                long v;
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger big = parser.getBigIntegerValue();
                    if (type != ElementType.UINT64 || big.signum() < 0 || big.compareTo(UINT64_MAX) > 0) {
                        throw element(field, index, "is out of range for datatype " + type.datatype());
                    }
                    v = big.longValue();
                } else {
                    v = parser.getLongValue();
                    if (v < min(type) || (type != ElementType.INT64 && type != ElementType.UINT64 && v > max(type))) {
                        throw element(field, index, "is out of range for datatype " + type.datatype());
                    }
                }
                if (buffer == null) {
                    return;
                }
                switch (type.byteSize()) {
                    case 1 -> buffer.put((byte) v);
                    case 2 -> buffer.putShort((short) v);
                    case 4 -> buffer.putInt((int) v);
                    default -> buffer.putLong(v);
                }
            }
        }
    }

    private static long min(ElementType type) {
        return switch (type) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    private static long max(ElementType type) {
        return switch (type) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case UINT8 -> 0xff;
            case UINT16 -> 0xffff;
            case UINT32 -> 0xffffffffL;
            default -> Long.MAX_VALUE;
        };
    }

    private static ApiException element(String field, int index, String problem) {
        return ApiException.badRequest("element " + index + " of " + field + " " + problem, field);
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
