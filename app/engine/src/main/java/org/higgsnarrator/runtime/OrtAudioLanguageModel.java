package org.higgsnarrator.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.pkg.ElementType;
import org.higgsnarrator.pkg.GraphIo;
import org.higgsnarrator.pkg.ModelPackage;

/**
 * {@link AudioLanguageModel} over a model package's {@code prefill} and {@code decode_step} graphs.
 *
 * <p>KV cache: each {@link State} owns, per layer, one key and one value buffer [1, kv_heads, capacity, head_dim]
 * allocated once (direct memory) and wrapped in an OnnxTensor once. Every run passes the same tensor as the
 * {@code past_key_values.*} input and as the pinned {@code present.*} output, so ORT's GroupQueryAttention sees
 * past == present and runs in its shared-buffer mode: it appends the new positions in place at {@code seqlens_k} and
 * never copies or reallocates the cache. The decode step's small inputs and its logits output are preallocated
 * too, so a step allocates nothing but the returned array.
 */
public final class OrtAudioLanguageModel implements AudioLanguageModel {
    private final ModelPackage pkg;
    private final ModelConfig cfg;
    private final OrtRuntime rt;
    private final OrtSession prefill;
    private final OrtSession decode;
    private final boolean halfKv;
    private final int maxContext;

    public OrtAudioLanguageModel(ModelPackage pkg, OrtRuntime rt) {
        this.pkg = pkg;
        this.cfg = pkg.manifest().model();
        this.rt = rt;
        this.halfKv = pkg.kvType() == ElementType.FLOAT16;
        this.maxContext = pkg.manifest().maxContext() > 0 ? pkg.manifest().maxContext() : cfg.maxPositionEmbeddings();
        this.prefill = rt.open(pkg.graphFile(GraphIo.Role.PREFILL), rt.options().prepackPrefill());
        OrtSession d;
        try {
            d = rt.open(pkg.graphFile(GraphIo.Role.DECODE_STEP));
        } catch (RuntimeException e) {
            closeQuietly(prefill);
            throw e;
        }
        this.decode = d;
        try {
            checkIo(pkg, prefill, GraphIo.Role.PREFILL);
            checkIo(pkg, decode, GraphIo.Role.DECODE_STEP);
            CudaPlacement.warnIfAttentionOnCpu(rt, pkg);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The graph file must take and give exactly what the I/O table says, or the package is from another converter. */
    static void checkIo(ModelPackage pkg, OrtSession s, GraphIo.Role role) {
        GraphIo.Io io = GraphIo.generation(role, pkg.manifest().model(), pkg.kvType());
        Set<String> wantIn = new java.util.TreeSet<>(), wantOut = new java.util.TreeSet<>();
        io.inputs().forEach(t -> wantIn.add(t.name()));
        io.outputs().forEach(t -> wantOut.add(t.name()));
        if (!wantIn.equals(new java.util.TreeSet<>(s.getInputNames())) || !wantOut.equals(new java.util.TreeSet<>(s.getOutputNames()))) {
            throw new ModelPackage.PackageException(pkg.graphFile(role) + ": the graph's inputs/outputs differ from the I/O table of this "
                    + "version (org.higgsnarrator.pkg.GraphIo); export the package again with this version");
        }
    }

    /**
     * The generation model for {@code rt}'s options: this class, or {@link IoBindingAudioLanguageModel} (KV cache in
     * the session's device memory) when {@link RuntimeOptions#ioBinding()} is set.
     */
    public static AudioLanguageModel open(ModelPackage pkg, OrtRuntime rt) {
        return rt.options().ioBinding() ? new IoBindingAudioLanguageModel(pkg, rt) : new OrtAudioLanguageModel(pkg, rt);
    }

    @Override
    public ModelConfig config() {
        return cfg;
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    public OrtRuntime runtime() {
        return rt;
    }

    @Override
    public KvState newState(int maxPositions) {
        if (maxPositions < 1 || maxPositions > maxContext) {
            throw new IllegalArgumentException("KV cache of " + maxPositions + " positions requested; this package supports 1.." + maxContext
                    + " (export with a larger --max-context for longer contexts)");
        }
        return new KvState(maxPositions);
    }

    @Override
    public int maxPositions() {
        return maxContext;
    }

    @Override
    public boolean reusableStates() {
        return true;
    }

    /**
     * GroupQueryAttention masks by {@code seqlens_k} / {@code total_sequence_length}, so positions past the state's
     * position are never read: moving the position back is all a rewind needs.
     */
    @Override
    public void rewind(State st, int position) {
        KvState s = (KvState) st;
        if (position < 0 || position > s.position) {
            throw new IllegalArgumentException("cannot rewind a state at position " + s.position + " to " + position);
        }
        s.position = position;
    }

    @Override
    public State grow(State st, int maxPositions) {
        KvState old = (KvState) st;
        if (maxPositions < old.position) throw new IllegalArgumentException("a state holding " + old.position + " positions cannot shrink to " + maxPositions);
        KvState grown = (KvState) newState(maxPositions);
        try {
            // [1, kv_heads, capacity, head_dim] per buffer: copy each head's first `position` rows
            int kvh = cfg.numKvHeads(), row = cfg.headDim() * (halfKv ? 2 : 4);
            for (int b = 0; b < old.buffers.size(); b++) {
                ByteBuffer from = old.buffers.get(b), to = grown.buffers.get(b);
                for (int h = 0; h < kvh; h++) {
                    to.put(Math.toIntExact((long) h * grown.capacity * row), from, Math.toIntExact((long) h * old.capacity * row), old.position * row);
                }
            }
            grown.position = old.position;
        } catch (RuntimeException e) {
            grown.close();
            throw e;
        }
        old.close();
        return grown;
    }

    @Override
    public float[][] prefill(State st, long[] ids, int[][] audioFrames, int lastN) {
        KvState s = (KvState) st;
        int n = ids.length, k = cfg.numCodebooks();
        PrefillInputs p = PrefillInputs.of(cfg, ids, audioFrames, s.position, lastN);
        s.require(n);
        long[] codes = p.codes(), pos = p.positions(), index = p.logitsIndex();
        var env = rt.env();
        List<OnnxTensor> temp = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>(s.kvInputs);
            in.put(GraphIo.INPUT_IDS, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, n})));
            in.put(GraphIo.AUDIO_CODES, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(codes), new long[] {1, n, k})));
            in.put(GraphIo.POSITION_IDS, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[] {1, n})));
            in.put(GraphIo.SEQLENS_K, track(temp, OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {s.position + n - 1}), new long[] {1})));
            in.put(GraphIo.TOTAL_SEQUENCE_LENGTH, track(temp, OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {s.position + n}), new long[0])));
            in.put(GraphIo.LOGITS_INDEX, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(index), new long[] {lastN})));
            float[][] out = new float[lastN][k * cfg.codebookEntries()];
            try (OrtSession.Result r = prefill.run(in, Set.of(GraphIo.LOGITS), s.kvOutputs)) {
                FloatBuffer fb = ((OnnxTensor) r.get(GraphIo.LOGITS).orElseThrow()).getFloatBuffer();
                for (float[] row : out) fb.get(row);
            }
            s.position += n;
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("prefill failed: " + OrtMessages.describe(e), e);
        } finally {
            temp.forEach(OnnxTensor::close);
        }
    }

    @Override
    public float[] step(State st, int[] frame) {
        KvState s = (KvState) st;
        int k = cfg.numCodebooks();
        if (frame.length != k) throw new IllegalArgumentException("frame has " + frame.length + " codes, expected " + k);
        s.require(1);
        for (int j = 0; j < k; j++) s.stepCodes.put(j, frame[j]);
        s.stepPos.put(0, s.position);
        s.stepSeqlens.put(0, s.position);
        s.stepTotal.put(0, s.position + 1);
        try {
            decode.run(s.stepInputs, Set.of(), s.stepOutputs).close();
        } catch (OrtException e) {
            throw new IllegalStateException("decode step failed: " + OrtMessages.describe(e), e);
        }
        s.position++;
        float[] out = new float[k * cfg.codebookEntries()];
        s.stepLogits.get(0, out);
        return out;
    }

    @Override
    public void skipTo(State st, int position) {
        KvState s = (KvState) st;
        if (position < s.position || position > s.capacity) {
            throw new IllegalArgumentException("cannot skip to position " + position + " from " + s.position + " (capacity " + s.capacity + ")");
        }
        s.position = position;
    }

    private static OnnxTensor track(List<OnnxTensor> l, OnnxTensor t) {
        l.add(t);
        return t;
    }

    @Override
    public void close() {
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

    /** Per-job KV cache and step buffers (see the class comment). */
    public final class KvState implements State {
        private final int capacity;
        private int position;
        private final List<OnnxTensor> owned = new ArrayList<>();
        /** The key and value buffers in layer order (key, value, key, …): what {@link #grow} copies. */
        private final List<ByteBuffer> buffers = new ArrayList<>();
        private final Map<String, OnnxTensor> kvInputs = new HashMap<>();
        private final Map<String, OnnxValue> kvOutputs = new HashMap<>();
        private final Map<String, OnnxTensor> stepInputs;
        private final Map<String, OnnxValue> stepOutputs;
        private final LongBuffer stepCodes, stepPos;
        private final IntBuffer stepSeqlens, stepTotal;
        private final FloatBuffer stepLogits;

        KvState(int capacity) {
            this.capacity = capacity;
            var env = rt.env();
            int kvh = cfg.numKvHeads(), hd = cfg.headDim(), k = cfg.numCodebooks();
            long[] shape = {1, kvh, capacity, hd};
            try {
                for (int l = 0; l < cfg.numLayers(); l++) {
                    for (boolean key : new boolean[] {true, false}) {
                        ByteBuffer b = ByteBuffer.allocateDirect(kvh * capacity * hd * (halfKv ? 2 : 4)).order(ByteOrder.nativeOrder());
                        buffers.add(b);
                        OnnxTensor t = halfKv ? OnnxTensor.createTensor(env, b, shape, OnnxJavaType.FLOAT16)
                                : OnnxTensor.createTensor(env, b.asFloatBuffer(), shape);
                        owned.add(t);
                        kvInputs.put(key ? GraphIo.pastKey(l) : GraphIo.pastValue(l), t);
                        kvOutputs.put(key ? GraphIo.presentKey(l) : GraphIo.presentValue(l), t);
                    }
                }
                stepCodes = direct(k * 8).asLongBuffer();
                stepPos = direct(8).asLongBuffer();
                stepSeqlens = direct(4).asIntBuffer();
                stepTotal = direct(4).asIntBuffer();
                stepLogits = direct(k * cfg.codebookEntries() * 4).asFloatBuffer();
                stepInputs = new HashMap<>(kvInputs);
                stepInputs.put(GraphIo.AUDIO_CODES, own(OnnxTensor.createTensor(env, stepCodes, new long[] {1, 1, k})));
                stepInputs.put(GraphIo.POSITION_IDS, own(OnnxTensor.createTensor(env, stepPos, new long[] {1, 1})));
                stepInputs.put(GraphIo.SEQLENS_K, own(OnnxTensor.createTensor(env, stepSeqlens, new long[] {1})));
                stepInputs.put(GraphIo.TOTAL_SEQUENCE_LENGTH, own(OnnxTensor.createTensor(env, stepTotal, new long[0])));
                stepOutputs = new HashMap<>(kvOutputs);
                stepOutputs.put(GraphIo.LOGITS, own(OnnxTensor.createTensor(env, stepLogits, new long[] {1, 1, k, cfg.codebookEntries()})));
            } catch (OrtException e) {
                close();
                throw new IllegalStateException("cannot allocate the KV cache: " + OrtMessages.describe(e), e);
            }
        }

        private ByteBuffer direct(int bytes) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }

        private OnnxTensor own(OnnxTensor t) {
            owned.add(t);
            return t;
        }

        void require(int more) {
            if (position + more > capacity) {
                throw new IllegalStateException("KV cache full: " + position + " + " + more + " positions exceed its capacity of " + capacity
                        + "; start a new state with more positions (newState)");
            }
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int position() {
            return position;
        }

        @Override
        public void close() {
            owned.forEach(OnnxTensor::close);
            owned.clear();
        }
    }
}
