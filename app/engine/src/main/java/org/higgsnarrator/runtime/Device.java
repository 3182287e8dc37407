package org.higgsnarrator.runtime;

import com.google.gson.annotations.SerializedName;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the ONNX Runtime sessions run. As a request ({@link RuntimeOptions#device()}): {@link #AUTO} = CUDA when the
 * CUDA provider loads and the session builds on it, else CPU; {@link #CPU}; {@link #CUDA} = fail when CUDA cannot be
 * used. As a decision ({@link OrtRuntime#device()}, {@code Narrator.Info}): CPU or CUDA, always with the reason.
 * Every layer passes this type; {@link #parse} reads the user's spelling once, at the command line.
 */
public enum Device {
    @SerializedName(value = "auto", alternate = "AUTO") AUTO,
    @SerializedName(value = "cpu", alternate = "CPU") CPU,
    @SerializedName(value = "cuda", alternate = "CUDA") CUDA;

    /** auto, cpu or cuda (any case). */
    public static Device parse(String s) {
        for (Device d : values()) if (d.id().equalsIgnoreCase(s == null ? "" : s.trim())) return d;
        throw new IllegalArgumentException("unknown device '" + s + "'; use one of "
                + Arrays.stream(values()).map(Device::id).collect(Collectors.joining(", ")));
    }

    /** The command-line and file spelling: auto, cpu, cuda. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How the user reads it: Auto, CPU, CUDA. */
    @Override
    public String toString() {
        return this == AUTO ? "Auto" : name();
    }
}
