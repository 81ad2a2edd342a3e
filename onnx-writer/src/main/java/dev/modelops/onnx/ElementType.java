package dev.modelops.onnx;

/**
 * ONNX tensor element types with their {@code TensorProto.DataType} codes and their Open Inference Protocol names.
 * {@link #byteSize} is the size of one element in a tensor's raw data; strings have none. No ONNX Runtime here: the
 * runtime maps these to ONNX Runtime's types itself.
 */
public enum ElementType {
    FLOAT(1, "FP32", 4), UINT8(2, "UINT8", 1), INT8(3, "INT8", 1), UINT16(4, "UINT16", 2), INT16(5, "INT16", 2), INT32(
            6, "INT32",
            4), INT64(7, "INT64", 8), STRING(8, "BYTES", 0), BOOL(9, "BOOL", 1), FLOAT16(10, "FP16", 2), DOUBLE(11,
                    "FP64", 8), UINT32(12, "UINT32", 4), UINT64(13, "UINT64", 8), BFLOAT16(16, "BF16", 2);

    private final int onnxCode;
    private final String datatype;
    private final int byteSize;

    ElementType(int onnxCode, String datatype, int byteSize) {
        this.onnxCode = onnxCode;
        this.datatype = datatype;
        this.byteSize = byteSize;
    }

    /** The {@code TensorProto.DataType} value. */
    public int onnxCode() {
        return onnxCode;
    }

    /** The Open Inference Protocol's name for this type ({@code FP32}, {@code INT64}, {@code BYTES}...). */
    public String datatype() {
        return datatype;
    }

    public int byteSize() {
        return byteSize;
    }

    public static ElementType fromDatatype(String datatype) {
        for (ElementType type : values()) {
            if (type.datatype.equals(datatype)) {
                return type;
            }
        }
        return null;
    }
}
