package org.higgsnarrator.engine;

import java.util.Locale;

/** Where the model runs. AUTO takes CUDA when the GPU build of ONNX Runtime and a GPU are present, else the CPU. */
public enum Device {
    AUTO, CPU, CUDA;

    public static Device parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + s + "'; use auto, cpu or cuda");
        }
    }
}
