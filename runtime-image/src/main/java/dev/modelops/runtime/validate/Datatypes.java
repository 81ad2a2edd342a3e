package dev.modelops.runtime.validate;

import ai.onnxruntime.TensorInfo;

/** ONNX element types as the Open Inference Protocol names them. */
public final class Datatypes {

    private Datatypes() {
    }

    public static String of(TensorInfo.OnnxTensorType type) {
        return switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "FP32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "FP64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> "FP16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> "BF16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> "INT8";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> "INT16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> "INT32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> "INT64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> "UINT8";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> "UINT16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> "UINT32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> "UINT64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> "BOOL";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> "BYTES";
            default -> type.name();
        };
    }
}
