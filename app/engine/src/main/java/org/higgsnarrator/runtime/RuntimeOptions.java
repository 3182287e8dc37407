package org.higgsnarrator.runtime;

/**
 * Every tunable of the ONNX Runtime layer.
 *
 * @param device          requested device ({@link Device}: auto, cpu, cuda)
 * @param cudaDeviceId    GPU ordinal for CUDA (default 0)
 * @param intraOpThreads  threads inside an operator; 0 = ORT's default (one per physical core)
 * @param interOpThreads  threads across operators; 0 = ORT's default (graphs here are sequential)
 * @param optimizeAll     ORT graph optimizations at ALL_OPT (default) rather than basic only
 * @param verifyHashes    recompute every package file's sha256 on open (default off: slow for big models)
 * @param prepackPrefill  let ORT prepack the prefill session's weights too (default off: on CPU each session keeps
 *                        its own prepacked copy of every matrix, so two sessions would hold the model twice; the
 *                        decode step, which runs per frame, keeps its prepacked weights, prefill reads them from
 *                        the memory-mapped weight file — measured in docs/converter.md)
 */
public record RuntimeOptions(Device device, int cudaDeviceId, int intraOpThreads, int interOpThreads, boolean optimizeAll, boolean verifyHashes,
                             boolean prepackPrefill) {
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Device.AUTO, 0, 0, 0, true, false, false);
    }

    public RuntimeOptions withDevice(Device d) {
        return new RuntimeOptions(d, cudaDeviceId, intraOpThreads, interOpThreads, optimizeAll, verifyHashes, prepackPrefill);
    }

    public RuntimeOptions withThreads(int intra) {
        return new RuntimeOptions(device, cudaDeviceId, intra, interOpThreads, optimizeAll, verifyHashes, prepackPrefill);
    }
}
