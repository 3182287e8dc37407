package org.higgsnarrator.runtime;

import ai.onnxruntime.OrtException;

/**
 * ONNX Runtime's error text without its internals ("Error code - ORT_INVALID_PROTOBUF - message: [ONNXRuntimeError] :
 * 7 : INVALID_PROTOBUF : Load model from /x failed:Protobuf parsing failed.", source file paths and line numbers):
 * what went wrong, in a phrase a user can act on, plus ORT's own first line for a bug report.
 */
public final class OrtMessages {
    private OrtMessages() {}

    public static String describe(Throwable e) {
        if (!(e instanceof OrtException oe)) return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String raw = oe.getMessage() == null ? "" : oe.getMessage();
        int at = raw.indexOf("message: ");
        String detail = (at >= 0 ? raw.substring(at + 9) : raw).lines().findFirst().orElse("").strip();
        detail = detail.replaceAll("\\[ONNXRuntimeError] : \\d+ : [A-Z_]+ : ", "")
                .replaceAll("\\S*onnxruntime\\S*\\.(cc|h):\\d+\\s*", "")
                .replaceAll("\\S+\\(\\) ", "");
        String plain = switch (oe.getCode()) {
            case ORT_INVALID_PROTOBUF -> "the file is not a valid ONNX graph (damaged or not an ONNX file)";
            case ORT_NO_SUCHFILE -> "a file is missing";
            case ORT_INVALID_GRAPH, ORT_NOT_IMPLEMENTED -> "the graph uses something this ONNX Runtime cannot run";
            case ORT_INVALID_ARGUMENT -> "the inputs do not fit the graph";
            case ORT_FAIL, ORT_RUNTIME_EXCEPTION, ORT_ENGINE_ERROR -> "ONNX Runtime failed";
            default -> "ONNX Runtime error";
        };
        return detail.isEmpty() ? plain : plain + ": " + detail;
    }
}
