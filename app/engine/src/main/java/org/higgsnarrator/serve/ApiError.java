package org.higgsnarrator.serve;

/**
 * A request the server refuses, answered as the official server's {@code ErrorResponse}
 * ({@code {"object":"error","message","type","param","code"}}, higgs-audio-vllm
 * vllm/entrypoints/openai/protocol.py:78-83) with the HTTP status {@code code}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;

    public ApiError(int status, String type, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
    }

    /** 400: the body is wrong; {@code param} names the field. */
    public static ApiError badRequest(String param, String message) {
        return new ApiError(400, "BadRequestError", param, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }
}
