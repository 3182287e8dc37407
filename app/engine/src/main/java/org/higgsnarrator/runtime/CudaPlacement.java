package org.higgsnarrator.runtime;

import java.util.Optional;
import java.util.logging.Logger;
import org.higgsnarrator.pkg.ElementType;
import org.higgsnarrator.pkg.ModelPackage;

/**
 * Where a package's attention runs on CUDA, decided from the package before any step runs. ONNX Runtime's
 * {@code com.microsoft:GroupQueryAttention} has CUDA kernels for fp16 and bf16 only
 * (microsoft/onnxruntime {@code onnxruntime/contrib_ops/cuda/bert/group_query_attention.cc} registers
 * {@code MLFloat16} and {@code BFloat16}); the graphs run attention in the KV cache's element type, so a package with
 * an fp32 KV cache (the fp32, int8 and int4 packages) puts all its attention nodes on the CPU provider, with copies
 * around each, and ORT only logs a warning. This class says so loudly instead; once a model has opened on CUDA, the
 * measured placement ({@link NodePlacement}) replaces the prediction.
 */
public final class CudaPlacement {
    private static final Logger LOG = Logger.getLogger(CudaPlacement.class.getName());

    private CudaPlacement() {}

    /** Why attention would run on the CPU on {@code device} with a KV cache of {@code kv}; empty when it stays there. */
    public static Optional<String> attentionOnCpu(Device device, ElementType kv) {
        if (device != Device.CUDA || kv == ElementType.FLOAT16) return Optional.empty();
        return Optional.of("this package keeps its KV cache and attention in " + kv + "; ONNX Runtime's CUDA GroupQueryAttention "
                + "supports only float16, so every attention node runs on the CPU with copies to and from the GPU around it "
                + "(an order of magnitude slower); use an fp16, int8-fp16 or int4-fp16 package on CUDA");
    }

    /**
     * Logs a loud warning for a package about to run on {@code rt}'s device when its attention runs on the CPU under
     * CUDA: as measured ({@code measured}, ORT's profile of one decode step) when there is a measurement, else as
     * {@link #attentionOnCpu} predicts from the package.
     */
    static void warnIfAttentionOnCpu(OrtRuntime rt, ModelPackage pkg, NodePlacement measured) {
        attentionOnCpu(rt.device(), pkg.kvType(), measured).ifPresent(why -> LOG.warning("ATTENTION ON THE CPU: " + pkg.dir() + ": " + why));
    }

    /** {@link #attentionOnCpu(Device, ElementType)}, or what the measured placement says when there is one. */
    public static Optional<String> attentionOnCpu(Device device, ElementType kv, NodePlacement measured) {
        if (device != Device.CUDA) return Optional.empty();
        if (measured == null) return attentionOnCpu(device, kv);
        if (!measured.onCpu(ATTENTION)) return Optional.empty();
        return Optional.of("ORT ran " + measured.nodes().get(NodePlacement.CPU).get(ATTENTION) + " GroupQueryAttention nodes on the CPU ("
                + measured.summary() + "); use an fp16, int8-fp16 or int4-fp16 package on CUDA");
    }

    static final String ATTENTION = "GroupQueryAttention";
}
