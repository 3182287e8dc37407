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
    /** Bytes of one position of one KV head: head_dim values of the package's KV type. */
    private final int rowBytes;
    private final int maxContext;

    public OrtAudioLanguageModel(ModelPackage pkg, OrtRuntime rt) {
        this.pkg = pkg;
        this.cfg = pkg.manifest().model();
        this.rt = rt;
        this.halfKv = pkg.kvType() == ElementType.FLOAT16;
        this.rowBytes = cfg.headDim() * (halfKv ? 2 : 4);
        this.maxContext = pkg.manifest().maxContext() > 0 ? pkg.manifest().maxContext() : cfg.maxPositionEmbeddings();
        this.prefill = rt.open(pkg.graphFile(GraphIo.Role.PREFILL), rt.options().prepackPrefill());
        // the device is decided by now (the prefill session opened first): on CUDA, placement is checked, not assumed
        boolean report = rt.device() == Device.CUDA || rt.options().placementReport();
        OrtSession d;
        try {
            d = report ? rt.openProfiled(pkg.graphFile(GraphIo.Role.DECODE_STEP)) : rt.open(pkg.graphFile(GraphIo.Role.DECODE_STEP));
        } catch (RuntimeException e) {
            closeQuietly(prefill);
            throw e;
        }
        this.decode = d;
        try {
            checkIo(pkg, prefill, GraphIo.Role.PREFILL);
            checkIo(pkg, decode, GraphIo.Role.DECODE_STEP);
            if (report) {
                // one step on a throwaway cache, profiled; ending the profile stops profiling for every later step
                try (KvState probe = new KvState(2)) {
                    step(probe, new int[cfg.numCodebooks()]);
                }
                placement = NodePlacement.collect(decode);
            }
            CudaPlacement.warnIfAttentionOnCpu(rt, pkg, placement);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private NodePlacement placement;

    /**
     * Where the decode step's nodes ran, from ORT's profile of one step at load: collected on CUDA (or when
     * {@link RuntimeOptions#placementReport()} asks); null otherwise.
     */
    public NodePlacement placement() {
        return placement;
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
        ((KvState) st).rewind(position);
    }

    @Override
    public State grow(State st, int maxPositions) {
        KvState old = (KvState) st;
        if (maxPositions < old.position) throw new IllegalArgumentException("a state holding " + old.position + " positions cannot shrink to " + maxPositions);
        KvState grown = (KvState) newState(maxPositions);
        try {
            for (int b = 0; b < old.buffers.size(); b++) {
                copyHeads(old.buffers.get(b), 0, old.capacity, grown.buffers.get(b), 0, grown.capacity, old.position);
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
        PrefillInputs p = PrefillInputs.of(cfg, ids, audioFrames, s.position, lastN);
        s.require(ids.length);
        float[][] out = runPrefill(s.kvInputs, s.kvOutputs, s.position, ids, p, lastN);
        s.position += ids.length;
        return out;
    }

    /** The prefill graph on one sequence's cache tensors (a state's, or a batch slot's [1, …] view). */
    private float[][] runPrefill(Map<String, OnnxTensor> kvInputs, Map<String, OnnxValue> kvOutputs, int position, long[] ids, PrefillInputs p, int lastN) {
        int n = ids.length, k = cfg.numCodebooks();
        long[] codes = p.codes(), pos = p.positions(), index = p.logitsIndex();
        var env = rt.env();
        List<OnnxTensor> temp = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>(kvInputs);
            in.put(GraphIo.INPUT_IDS, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, n})));
            in.put(GraphIo.AUDIO_CODES, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(codes), new long[] {1, n, k})));
            in.put(GraphIo.POSITION_IDS, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[] {1, n})));
            in.put(GraphIo.SEQLENS_K, track(temp, OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {position + n - 1}), new long[] {1})));
            in.put(GraphIo.TOTAL_SEQUENCE_LENGTH, track(temp, OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {position + n}), new long[0])));
            in.put(GraphIo.LOGITS_INDEX, track(temp, OnnxTensor.createTensor(env, LongBuffer.wrap(index), new long[] {lastN})));
            float[][] out = new float[lastN][k * cfg.codebookEntries()];
            try (OrtSession.Result r = prefill.run(in, Set.of(GraphIo.LOGITS), kvOutputs)) {
                FloatBuffer fb = ((OnnxTensor) r.get(GraphIo.LOGITS).orElseThrow()).getFloatBuffer();
                for (float[] row : out) fb.get(row);
            }
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
        ((KvState) st).skipTo(position);
    }

    // ---- batched decoding ----

    @Override
    public boolean batchable() {
        return true;
    }

    @Override
    public Batch newBatch(int slots, int maxPositions) {
        if (slots < 1) throw new IllegalArgumentException("a batch needs at least one slot, got " + slots);
        if (maxPositions < 1 || maxPositions > maxContext) {
            throw new IllegalArgumentException("KV cache of " + maxPositions + " positions requested; this package supports 1.." + maxContext
                    + " (export with a larger --max-context for longer contexts)");
        }
        return new BatchKv(slots, maxPositions);
    }

    @Override
    public Batch grow(Batch b, int maxPositions) {
        BatchKv old = (BatchKv) b;
        if (maxPositions < old.capacity) throw new IllegalArgumentException("a batch grows: " + maxPositions + " positions < its " + old.capacity);
        BatchKv grown = (BatchKv) newBatch(old.slots, maxPositions);
        for (int i = 0; i < old.buffers.size(); i++) {
            for (int slot = 0; slot < old.slots; slot++) {
                copyHeads(old.buffers.get(i), slot * old.slotBytes, old.capacity, grown.buffers.get(i), slot * grown.slotBytes, grown.capacity,
                        old.positions[slot]);
            }
        }
        System.arraycopy(old.positions, 0, grown.positions, 0, old.slots);
        old.close();
        return grown;
    }

    @Override
    public float[][] prefill(Batch b, int slot, long[] ids, int[][] audioFrames, int lastN) {
        BatchKv s = (BatchKv) b;
        s.checkSlot(slot);
        PrefillInputs p = PrefillInputs.of(cfg, ids, audioFrames, s.positions[slot], lastN);
        s.require(slot, ids.length);
        Map<String, OnnxTensor> in = new HashMap<>();
        Map<String, OnnxValue> out = new HashMap<>();
        List<OnnxTensor> views = new ArrayList<>();
        try {
            s.slotView(slot, in, out, views);
            float[][] logits = runPrefill(in, out, s.positions[slot], ids, p, lastN);
            s.positions[slot] += ids.length;
            return logits;
        } finally {
            views.forEach(OnnxTensor::close);
        }
    }

    @Override
    public void copyPrefix(Batch b, int from, int to, int rows) {
        BatchKv s = (BatchKv) b;
        s.checkSlot(from);
        s.checkSlot(to);
        if (rows < 0 || rows > s.positions[from]) throw new IllegalArgumentException("slot " + from + " holds " + s.positions[from] + " positions, not " + rows);
        if (from != to) {
            for (ByteBuffer buf : s.buffers) copyHeads(buf, from * s.slotBytes, s.capacity, buf, to * s.slotBytes, s.capacity, rows);
        }
        s.positions[to] = rows;
    }

    /**
     * Copies the first {@code rows} positions of every KV head of one sequence's cache, a [kv_heads, capacity,
     * head_dim] block at byte {@code fromBase} of {@code from}, into another such block (its own capacity): what growing
     * a state or a batch and copying a slot's prefix all do.
     */
    private void copyHeads(ByteBuffer from, long fromBase, int fromCapacity, ByteBuffer to, long toBase, int toCapacity, int rows) {
        for (int h = 0; h < cfg.numKvHeads(); h++) {
            to.put(Math.toIntExact(toBase + (long) h * toCapacity * rowBytes), from, Math.toIntExact(fromBase + (long) h * fromCapacity * rowBytes),
                    rows * rowBytes);
        }
    }

    @Override
    public void clearSlot(Batch b, int slot) {
        BatchKv s = (BatchKv) b;
        s.checkSlot(slot);
        s.positions[slot] = 0;   // rows past a slot's length are never read (seqlens_k masks them) and the next prefill overwrites them
    }

    @Override
    public float[][] step(Batch b, int[][] frames) {
        BatchKv s = (BatchKv) b;
        int n = frames.length, k = cfg.numCodebooks(), width = k * cfg.codebookEntries();
        if (n < 1 || n > s.slots) throw new IllegalArgumentException(n + " frames for a batch of " + s.slots + " slots");
        BatchKv.StepIo io = s.stepIo(n);
        int longest = 0;
        for (int i = 0; i < n; i++) {
            if (frames[i].length != k) throw new IllegalArgumentException("frame of slot " + i + " has " + frames[i].length + " codes, expected " + k);
            s.require(i, 1);
            for (int j = 0; j < k; j++) io.codes.put(i * k + j, frames[i][j]);
            io.pos.put(i, s.positions[i]);
            io.seqlens.put(i, s.positions[i]);
            longest = Math.max(longest, s.positions[i] + 1);
        }
        io.total.put(0, longest);
        try {
            decode.run(io.inputs, Set.of(), io.outputs).close();
        } catch (OrtException e) {
            throw new IllegalStateException("batched decode step (" + n + " sequences) failed: " + OrtMessages.describe(e), e);
        }
        float[][] out = new float[n][width];
        for (int i = 0; i < n; i++) {
            s.positions[i]++;
            io.logits.get(i * width, out[i]);
        }
        return out;
    }

    /**
     * The KV cache of a batch: per layer one key and one value buffer [slots, kv_heads, capacity, head_dim] (a slot is
     * one contiguous block, so slot i alone is a [1, …] view for the prefill graph, and the first n slots are an
     * [n, …] view for a step of n sequences). The step tensors for each batch size used are built once.
     */
    final class BatchKv implements Batch {
        private final int slots, capacity;
        private final long slotBytes;
        private final int[] positions;
        private final List<ByteBuffer> buffers = new ArrayList<>();
        private final Map<Integer, StepIo> steps = new HashMap<>();
        private final List<OnnxTensor> owned = new ArrayList<>();

        BatchKv(int slots, int capacity) {
            this.slots = slots;
            this.capacity = capacity;
            this.positions = new int[slots];
            this.slotBytes = (long) cfg.numKvHeads() * capacity * rowBytes;
            if (slotBytes * slots > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a batch of " + slots + " × " + capacity + " positions needs " + (slotBytes * slots >> 20)
                        + " MiB per layer cache buffer (at most 2 GiB each); use fewer slots or a shorter context");
            }
            for (int i = 0; i < 2 * cfg.numLayers(); i++) {
                buffers.add(ByteBuffer.allocateDirect(Math.toIntExact(slotBytes * slots)).order(ByteOrder.nativeOrder()));
            }
        }

        /** The tensors of a step over slots 0 … n−1: [n, …] views of the cache and their own small buffers. */
        final class StepIo {
            final Map<String, OnnxTensor> inputs = new HashMap<>();
            final Map<String, OnnxValue> outputs = new HashMap<>();
            final LongBuffer codes, pos;
            final IntBuffer seqlens, total;
            final FloatBuffer logits;

            StepIo(int n) throws OrtException {
                var env = rt.env();
                int k = cfg.numCodebooks();
                long[] shape = {n, cfg.numKvHeads(), capacity, cfg.headDim()};
                for (int l = 0; l < cfg.numLayers(); l++) {
                    for (int kv = 0; kv < 2; kv++) {
                        OnnxTensor t = own(view(buffers.get(2 * l + kv), 0, n, shape));
                        inputs.put(kv == 0 ? GraphIo.pastKey(l) : GraphIo.pastValue(l), t);
                        outputs.put(kv == 0 ? GraphIo.presentKey(l) : GraphIo.presentValue(l), t);
                    }
                }
                codes = direct(n * k * 8).asLongBuffer();
                pos = direct(n * 8).asLongBuffer();
                seqlens = direct(n * 4).asIntBuffer();
                total = direct(4).asIntBuffer();
                logits = direct(n * k * cfg.codebookEntries() * 4).asFloatBuffer();
                inputs.put(GraphIo.AUDIO_CODES, own(OnnxTensor.createTensor(env, codes, new long[] {n, 1, k})));
                inputs.put(GraphIo.POSITION_IDS, own(OnnxTensor.createTensor(env, pos, new long[] {n, 1})));
                inputs.put(GraphIo.SEQLENS_K, own(OnnxTensor.createTensor(env, seqlens, new long[] {n})));
                inputs.put(GraphIo.TOTAL_SEQUENCE_LENGTH, own(OnnxTensor.createTensor(env, total, new long[0])));
                outputs.put(GraphIo.LOGITS, own(OnnxTensor.createTensor(env, logits, new long[] {n, 1, k, cfg.codebookEntries()})));
            }
        }

        StepIo stepIo(int n) {
            StepIo io = steps.get(n);
            if (io == null) {
                try {
                    io = new StepIo(n);
                } catch (OrtException e) {
                    throw new IllegalStateException("cannot build the step tensors for " + n + " sequences: " + OrtMessages.describe(e), e);
                }
                steps.put(n, io);
            }
            return io;
        }

        /** Tensors over slot {@code slot} alone ([1, …]), for the prefill graph; the caller closes {@code views}. */
        void slotView(int slot, Map<String, OnnxTensor> in, Map<String, OnnxValue> out, List<OnnxTensor> views) {
            long[] shape = {1, cfg.numKvHeads(), capacity, cfg.headDim()};
            try {
                for (int l = 0; l < cfg.numLayers(); l++) {
                    for (int kv = 0; kv < 2; kv++) {
                        OnnxTensor t = view(buffers.get(2 * l + kv), slot, 1, shape);
                        views.add(t);
                        in.put(kv == 0 ? GraphIo.pastKey(l) : GraphIo.pastValue(l), t);
                        out.put(kv == 0 ? GraphIo.presentKey(l) : GraphIo.presentValue(l), t);
                    }
                }
            } catch (OrtException e) {
                views.forEach(OnnxTensor::close);
                throw new IllegalStateException("cannot view KV slot " + slot + ": " + OrtMessages.describe(e), e);
            }
        }

        /** A tensor over slots {@code first … first+count−1} of a cache buffer (no copy: ORT reads the direct buffer). */
        private OnnxTensor view(ByteBuffer buf, int first, int count, long[] shape) throws OrtException {
            ByteBuffer b = buf.slice(Math.toIntExact(first * slotBytes), Math.toIntExact(count * slotBytes)).order(ByteOrder.nativeOrder());
            return halfKv ? OnnxTensor.createTensor(rt.env(), b, shape, OnnxJavaType.FLOAT16) : OnnxTensor.createTensor(rt.env(), b.asFloatBuffer(), shape);
        }

        private ByteBuffer direct(int bytes) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }

        private OnnxTensor own(OnnxTensor t) {
            owned.add(t);
            return t;
        }

        void checkSlot(int slot) {
            if (slot < 0 || slot >= slots) throw new IllegalArgumentException("slot " + slot + " of a batch of " + slots);
        }

        void require(int slot, int more) {
            if (positions[slot] + more > capacity) {
                throw new IllegalStateException("KV cache of slot " + slot + " full: " + positions[slot] + " + " + more
                        + " positions exceed its capacity of " + capacity + "; start a batch with more positions (newBatch)");
            }
        }

        @Override
        public int slots() {
            return slots;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int position(int slot) {
            checkSlot(slot);
            return positions[slot];
        }

        @Override
        public void close() {
            owned.forEach(OnnxTensor::close);
            owned.clear();
            steps.clear();
        }
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
    public final class KvState extends KvPositions {
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
            super(capacity);
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

        @Override
        public void close() {
            owned.forEach(OnnxTensor::close);
            owned.clear();
        }
    }
}
