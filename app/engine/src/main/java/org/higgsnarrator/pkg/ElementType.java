package org.higgsnarrator.pkg;

import com.google.gson.annotations.SerializedName;

/** Element type of a graph input or output, spelled in the manifest as ONNX Runtime's Python API does ("float32"). */
public enum ElementType {
    @SerializedName("float32") FLOAT32("float32", 4),
    @SerializedName("float16") FLOAT16("float16", 2),
    @SerializedName("int64") INT64("int64", 8),
    @SerializedName("int32") INT32("int32", 4);

    private final String id;
    private final int bytes;

    ElementType(String id, int bytes) {
        this.id = id;
        this.bytes = bytes;
    }

    /** The manifest spelling. */
    public String id() {
        return id;
    }

    public int bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return id;
    }
}
