package dev.modelops.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

/**
 * ONNX tensor element types with their {@code TensorProto.DataType} codes and their Open Inference Protocol names.
 * {@link #byteSize} is the size of one element in a tensor's raw data; strings have none.
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

    /** The type of an ONNX Runtime tensor, or null for one this enum does not know. */
    public static ElementType of(TensorInfo.OnnxTensorType type) {
        return switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> FLOAT;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DOUBLE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> FLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> BFLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> STRING;
            default -> null;
        };
    }

    /**
     * The ONNX Runtime Java type tensors of this element type are created with, or {@link OnnxJavaType#UNKNOWN}:
     * the Java API of ONNX Runtime cannot create UINT16, UINT32 or UINT64 tensors.
     */
    public OnnxJavaType javaType() {
        return switch (this) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case STRING -> OnnxJavaType.STRING;
            default -> OnnxJavaType.UNKNOWN;
        };
    }
}
