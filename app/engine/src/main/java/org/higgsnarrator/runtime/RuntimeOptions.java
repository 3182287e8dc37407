package org.higgsnarrator.runtime;

import java.util.Locale;

/**
 * Every tunable of the ONNX Runtime layer.
 *
 * @param device          requested device ({@link Device}: auto, cpu, cuda)
 * @param cudaDeviceId    GPU ordinal for CUDA (default 0)
 * @param intraOpThreads  threads inside an operator; 0 = one per physical core, set explicitly (ORT's own default used one core on a 2-vCPU VM)
 * @param interOpThreads  threads across operators; 0 = ORT's default (graphs here are sequential)
 * @param optimizeAll     ORT graph optimizations at ALL_OPT (default) rather than basic only
 * @param verifyHashes    recompute every package file's sha256 on open (default off: slow for big models)
 * @param prepackPrefill  let ORT prepack the CPU prefill session's weights (see {@link #defaults()}); CUDA sessions
 *                        always keep ORT's default
 * @param spinning        whether ORT's CPU intra-op threads spin while waiting for work (see {@link Spinning})
 * @param ioBinding       run generation through the C API's IoBinding with the KV cache in the session's device
 *                        memory ({@link IoBindingAudioLanguageModel}); default off
 * @param placementReport collect the decode graph's per-node placement ({@link NodePlacement}) when the model opens,
 *                        on any device; on CUDA it is always collected (default off: the CPU has nothing to report)
 */
public record RuntimeOptions(Device device, int cudaDeviceId, int intraOpThreads, int interOpThreads, boolean optimizeAll, boolean verifyHashes,
                             boolean prepackPrefill, Spinning spinning, boolean ioBinding, boolean placementReport) {
    /**
     * ORT's {@code session.intra_op.allow_spinning}. Spinning threads answer faster but burn a core while they wait;
     * on a machine with few cores and any other load they steal it from the thread doing the work (docs/performance.md
     * measures both), so AUTO spins only with more than {@link #SPIN_MIN_CORES} cores.
     */
    public enum Spinning {
        AUTO, ON, OFF;

        public static Spinning parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown spinning setting '" + s + "'; use auto, on or off");
            }
        }

        /** Whether threads spin on a machine with {@code cores} logical processors. */
        public boolean resolve(int cores) {
            return this == ON || (this == AUTO && cores > SPIN_MIN_CORES);
        }
    }

    /** AUTO turns spinning off at or below this many logical processors. */
    public static final int SPIN_MIN_CORES = 4;

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Device.AUTO, 0, 0, 0, true, false, true, Spinning.AUTO, false, false);
    }

    public RuntimeOptions withDevice(Device d) {
        return new RuntimeOptions(d, cudaDeviceId, intraOpThreads, interOpThreads, optimizeAll, verifyHashes, prepackPrefill, spinning, ioBinding, placementReport);
    }

    public RuntimeOptions withThreads(int intra) {
        return new RuntimeOptions(device, cudaDeviceId, intra, interOpThreads, optimizeAll, verifyHashes, prepackPrefill, spinning, ioBinding, placementReport);
    }

    public RuntimeOptions withSpinning(Spinning s) {
        return new RuntimeOptions(device, cudaDeviceId, intraOpThreads, interOpThreads, optimizeAll, verifyHashes, prepackPrefill, s, ioBinding, placementReport);
    }

    public RuntimeOptions withPrepackPrefill(boolean prepack) {
        return new RuntimeOptions(device, cudaDeviceId, intraOpThreads, interOpThreads, optimizeAll, verifyHashes, prepack, spinning, ioBinding, placementReport);
    }

    public RuntimeOptions withPlacementReport(boolean on) {
        return new RuntimeOptions(device, cudaDeviceId, intraOpThreads, interOpThreads, optimizeAll, verifyHashes, prepackPrefill, spinning, ioBinding, on);
    }

    public RuntimeOptions withIoBinding(boolean on) {
        return new RuntimeOptions(device, cudaDeviceId, intraOpThreads, interOpThreads, optimizeAll, verifyHashes, prepackPrefill, spinning, on, placementReport);
    }

    /** Whether CPU sessions spin on this machine. */
    public boolean spinsHere() {
        return spinning.resolve(Runtime.getRuntime().availableProcessors());
    }
}
