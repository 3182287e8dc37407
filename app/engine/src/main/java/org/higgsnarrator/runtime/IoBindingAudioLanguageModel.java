package org.higgsnarrator.runtime;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.pkg.ElementType;
import org.higgsnarrator.pkg.GraphIo;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.ortapi.OrtApi;

/**
 * {@link AudioLanguageModel} that runs the package's graphs through ONNX Runtime's C API IoBinding
 * ({@link OrtApi}), with the KV cache allocated by the decode session's own allocator: device memory on CUDA, so the
 * cache never crosses PCIe; ordinary memory on the CPU provider, which is how this path is tested (exact against the
 * kit, like {@link OrtAudioLanguageModel}).
 *
 * <p>Per decode step only the codes, position and the two GroupQueryAttention lengths go in (a few bytes, bound again
 * each step because ORT copies a host input to the device when it is bound) and only the logits come out, into a
 * host tensor bound once. Each layer's key and value tensors are bound both as {@code past_key_values.*} input and as
 * {@code present.*} output, so GroupQueryAttention runs in its shared-buffer mode (past == present: the new position
 * is written in place at {@code seqlens_k}), as in {@link OrtAudioLanguageModel}.
 *
 * <p>The sessions are the ones {@link OrtRuntime#open} builds (same provider and options); the C API reaches them
 * through {@link OrtApi#sessionHandle}.
 */
public final class IoBindingAudioLanguageModel implements AudioLanguageModel {
    private final ModelPackage pkg;
    private final ModelConfig cfg;
    private final OrtSession prefill, decode;
    private final OrtApi api;
    private final MemorySegment prefillHandle, decodeHandle;
    /** Where host tensors (inputs, logits) live, and where the KV cache lives (CUDA device memory or the same CPU). */
    private final MemorySegment hostInfo, kvInfo, kvAllocator;
    private final boolean kvOnHost;
    private final ElementType kvType;
    private final int maxContext;

    public IoBindingAudioLanguageModel(ModelPackage pkg, OrtRuntime rt) {
        this.pkg = pkg;
        this.cfg = pkg.manifest().model();
        this.kvType = pkg.kvType();
        this.maxContext = pkg.manifest().maxContext() > 0 ? pkg.manifest().maxContext() : cfg.maxPositionEmbeddings();
        this.api = OrtApi.get();
        this.prefill = rt.open(pkg.graphFile(GraphIo.Role.PREFILL), rt.options().prepackPrefill());
        OrtSession d = null;
        try {
            d = rt.open(pkg.graphFile(GraphIo.Role.DECODE_STEP));
            OrtAudioLanguageModel.checkIo(pkg, prefill, GraphIo.Role.PREFILL);
            OrtAudioLanguageModel.checkIo(pkg, d, GraphIo.Role.DECODE_STEP);
            CudaPlacement.warnIfAttentionOnCpu(rt, pkg, null);
        } catch (RuntimeException e) {
            closeQuietly(prefill);
            closeQuietly(d);
            throw e;
        }
        this.decode = d;
        this.prefillHandle = OrtApi.sessionHandle(prefill);
        this.decodeHandle = OrtApi.sessionHandle(decode);
        this.hostInfo = api.cpuMemoryInfo();
        this.kvOnHost = rt.device() != Device.CUDA;
        this.kvInfo = !kvOnHost ? api.cudaMemoryInfo(rt.options().cudaDeviceId()) : api.cpuMemoryInfo();
        this.kvAllocator = api.createAllocator(decodeHandle, kvInfo);
    }

    @Override
    public ModelConfig config() {
        return cfg;
    }

    @Override
    public State newState(int maxPositions) {
        if (maxPositions < 1 || maxPositions > maxContext) {
            throw new IllegalArgumentException("KV cache of " + maxPositions + " positions requested; this package supports 1.." + maxContext
                    + " (export with a larger --max-context for longer contexts)");
        }
        return new BoundState(maxPositions);
    }

    @Override
    public float[][] prefill(State st, long[] ids, int[][] audioFrames, int lastN) {
        BoundState s = (BoundState) st;
        int n = ids.length, k = cfg.numCodebooks();
        PrefillInputs p = PrefillInputs.of(cfg, ids, audioFrames, s.position, lastN);
        s.require(n);
        long[] codes = p.codes(), pos = p.positions(), index = p.logitsIndex();
        List<MemorySegment> values = new ArrayList<>();
        MemorySegment binding = api.createIoBinding(prefillHandle);
        try (Arena a = Arena.ofConfined()) {
            bindHost(a, binding, values, GraphIo.INPUT_IDS, a.allocateFrom(JAVA_LONG, ids), new long[] {1, n}, ElementType.INT64);
            bindHost(a, binding, values, GraphIo.AUDIO_CODES, a.allocateFrom(JAVA_LONG, codes), new long[] {1, n, k}, ElementType.INT64);
            bindHost(a, binding, values, GraphIo.POSITION_IDS, a.allocateFrom(JAVA_LONG, pos), new long[] {1, n}, ElementType.INT64);
            bindHost(a, binding, values, GraphIo.SEQLENS_K, a.allocateFrom(JAVA_INT, s.position + n - 1), new long[] {1}, ElementType.INT32);
            bindHost(a, binding, values, GraphIo.TOTAL_SEQUENCE_LENGTH, a.allocateFrom(JAVA_INT, s.position + n), new long[0], ElementType.INT32);
            bindHost(a, binding, values, GraphIo.LOGITS_INDEX, a.allocateFrom(JAVA_LONG, index), new long[] {lastN}, ElementType.INT64);
            // logits first, so it is output 0 of boundOutputs; ORT allocates it on the host at its run-time shape
            api.bindOutputToDevice(binding, GraphIo.LOGITS, hostInfo);
            s.bindKv(binding);
            api.run(prefillHandle, binding);
            MemorySegment[] outs = api.boundOutputs(binding);
            int row = k * cfg.codebookEntries();
            float[][] out = new float[lastN][];
            try {
                MemorySegment logits = api.tensorData(outs[0], (long) lastN * row * Float.BYTES);
                for (int i = 0; i < lastN; i++) out[i] = logits.asSlice((long) i * row * Float.BYTES, (long) row * Float.BYTES).toArray(JAVA_FLOAT);
            } finally {
                for (MemorySegment v : outs) api.releaseValue(v);
            }
            s.position += n;
            return out;
        } catch (OrtApi.OrtApiException e) {
            throw new IllegalStateException("prefill failed: " + e.getMessage(), e);
        } finally {
            api.releaseIoBinding(binding);
            values.forEach(api::releaseValue);
        }
    }

    private void bindHost(Arena a, MemorySegment binding, List<MemorySegment> values, String name, MemorySegment data, long[] shape, ElementType t) {
        MemorySegment v = api.createTensor(hostInfo, data, shape, t);
        values.add(v);
        api.bindInput(binding, name, v);
    }

    @Override
    public float[] step(State st, int[] frame) {
        BoundState s = (BoundState) st;
        int k = cfg.numCodebooks();
        if (frame.length != k) throw new IllegalArgumentException("frame has " + frame.length + " codes, expected " + k);
        s.require(1);
        for (int j = 0; j < k; j++) s.codes.setAtIndex(JAVA_LONG, j, frame[j]);
        s.pos.set(JAVA_LONG, 0, s.position);
        s.seqlens.set(JAVA_INT, 0, s.position);
        s.total.set(JAVA_INT, 0, s.position + 1);
        try {
            api.bindInput(s.stepBinding, GraphIo.AUDIO_CODES, s.codesValue);
            api.bindInput(s.stepBinding, GraphIo.POSITION_IDS, s.posValue);
            api.bindInput(s.stepBinding, GraphIo.SEQLENS_K, s.seqlensValue);
            api.bindInput(s.stepBinding, GraphIo.TOTAL_SEQUENCE_LENGTH, s.totalValue);
            api.run(decodeHandle, s.stepBinding);
        } catch (OrtApi.OrtApiException e) {
            throw new IllegalStateException("decode step failed: " + e.getMessage(), e);
        }
        s.position++;
        return s.logits.toArray(JAVA_FLOAT);
    }

    @Override
    public void skipTo(State st, int position) {
        ((BoundState) st).skipTo(position);
    }

    /** As the Java-API model's: GQA masks by seqlens_k, so moving the position back is all a rewind needs (KvPositions). */
    @Override
    public void rewind(State st, int position) {
        ((BoundState) st).rewind(position);
    }

    @Override
    public void close() {
        api.releaseAllocator(kvAllocator);
        api.releaseMemoryInfo(kvInfo);
        api.releaseMemoryInfo(hostInfo);
        closeQuietly(prefill);
        closeQuietly(decode);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            if (s != null) s.close();
        } catch (OrtException ignored) {
            // closing a session only frees native memory
        }
    }

    /** Per-job KV cache in the session's device memory, and the decode step's binding and host tensors. */
    private final class BoundState extends KvPositions {
        private final Arena arena = Arena.ofShared();
        private final List<MemorySegment> owned = new ArrayList<>();
        /** [layer][0 = key, 1 = value] */
        private final MemorySegment[][] kv;
        private final MemorySegment codes, pos, seqlens, total, logits;
        private final MemorySegment codesValue, posValue, seqlensValue, totalValue;
        private final MemorySegment stepBinding;

        BoundState(int capacity) {
            super(capacity);
            int k = cfg.numCodebooks(), layers = cfg.numLayers();
            long[] shape = {1, cfg.numKvHeads(), capacity, cfg.headDim()};
            kv = new MemorySegment[layers][2];
            MemorySegment binding = null;
            try {
                for (int l = 0; l < layers; l++) {
                    for (int i = 0; i < 2; i++) {
                        kv[l][i] = own(api.createTensor(kvAllocator, shape, kvType));
                    }
                }
                if (kvOnHost) zeroHostKv(shape);
                codes = arena.allocate(JAVA_LONG, k);
                pos = arena.allocate(JAVA_LONG);
                seqlens = arena.allocate(JAVA_INT);
                total = arena.allocate(JAVA_INT);
                logits = arena.allocate(JAVA_FLOAT, (long) k * cfg.codebookEntries());
                codesValue = own(api.createTensor(hostInfo, codes, new long[] {1, 1, k}, ElementType.INT64));
                posValue = own(api.createTensor(hostInfo, pos, new long[] {1, 1}, ElementType.INT64));
                seqlensValue = own(api.createTensor(hostInfo, seqlens, new long[] {1}, ElementType.INT32));
                totalValue = own(api.createTensor(hostInfo, total, new long[0], ElementType.INT32));
                MemorySegment logitsValue = own(api.createTensor(hostInfo, logits, new long[] {1, 1, k, cfg.codebookEntries()}, ElementType.FLOAT32));
                binding = api.createIoBinding(decodeHandle);
                api.bindOutput(binding, GraphIo.LOGITS, logitsValue);
                bindKv(binding);
            } catch (RuntimeException e) {
                if (binding != null) api.releaseIoBinding(binding);
                close();
                throw new IllegalStateException("cannot allocate the KV cache: " + e.getMessage(), e);
            }
            stepBinding = binding;
        }

        /** The allocator's CPU memory is not cleared; a cleared cache makes a run independent of what it held before. */
        private void zeroHostKv(long[] shape) {
            long bytes = shape[0] * shape[1] * shape[2] * shape[3] * kvType.bytes();
            for (MemorySegment[] layer : kv) {
                for (MemorySegment t : layer) api.tensorData(t, bytes).fill((byte) 0);
            }
        }

        /** Binds every layer's cache as both past input and present output (GQA's shared-buffer mode). */
        void bindKv(MemorySegment binding) {
            for (int l = 0; l < kv.length; l++) {
                api.bindInput(binding, GraphIo.pastKey(l), kv[l][0]);
                api.bindInput(binding, GraphIo.pastValue(l), kv[l][1]);
                api.bindOutput(binding, GraphIo.presentKey(l), kv[l][0]);
                api.bindOutput(binding, GraphIo.presentValue(l), kv[l][1]);
            }
        }

        private MemorySegment own(MemorySegment v) {
            owned.add(v);
            return v;
        }

        @Override
        public void close() {
            if (stepBinding != null) api.releaseIoBinding(stepBinding);
            owned.forEach(api::releaseValue);
            owned.clear();
            arena.close();
        }
    }
}
