package org.higgsnarrator.engine;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Properties;
import java.util.zip.CRC32;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.io.AtomicFiles;

/**
 * A render's finished work, kept in a folder beside the output until the output file is complete, so that a stopped
 * render (killed, crashed, out of memory, cancelled) resumes where it stopped:
 * <ul>
 *   <li>{@code job.properties}: the job's fingerprint (script, voices, options, model) and chunk count; a different
 *       job in the same folder starts over;</li>
 *   <li>{@code chunks.bin}: one record per finished chunk, appended and forced to disk when the chunk ends: its index,
 *       how it stopped, its codes [K][F], and how many frames of the job's audio stream were final then, with a CRC; a
 *       record cut short by a kill is ignored (and cut off) on resume;</li>
 *   <li>{@code audio.f32}: the job's samples as generated (32-bit float, little endian, mono), flushed before each
 *       chunk record, so a record always describes audio that is on disk. Resuming cuts it back to the last record.</li>
 * </ul>
 * Memory stays flat in the length of the book: nothing is kept but a write buffer; resuming reads the records once,
 * keeping only what the next chunk needs (the context buffer's chunks, the decoder's last frames).
 */
public final class RenderCheckpoint implements AutoCloseable {
    private static final int MAGIC = 0x4E434B32; // "NCK2"
    static final String JOB = "job.properties", CHUNKS = "chunks.bin", AUDIO = "audio.f32";

    private final Path dir;
    private final FileChannel chunks, audio;
    private final ByteBuffer audioBuf = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private int done;
    private long samples;

    /** The folder kept beside {@code output}: {@code book.wav} → {@code book.wav.parts}. */
    public static Path folderFor(Path output) {
        Path abs = output.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".parts");
    }

    private RenderCheckpoint(Path dir, FileChannel chunks, FileChannel audio, int done, long samples) {
        this.dir = dir;
        this.chunks = chunks;
        this.audio = audio;
        this.done = done;
        this.samples = samples;
    }

    /**
     * Makes {@code dir} the folder of the job {@code fingerprint}: true when it already held that job (its finished
     * work stays); otherwise (or with {@code fresh}) every file in it is deleted and {@code job.properties} written for
     * the new job. The one rule for local checkpoints and the remote renderer's received chunks
     * ({@code org.higgsnarrator.serve.RemoteRenderer}).
     */
    public static boolean claim(Path dir, String fingerprint, int chunkCount, boolean fresh) throws IOException {
        Files.createDirectories(dir);
        Path job = dir.resolve(JOB);
        if (!fresh && Files.isRegularFile(job)) {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(job, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            if (fingerprint.equals(p.getProperty("fingerprint")) && String.valueOf(chunkCount).equals(p.getProperty("chunks"))) return true;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) if (Files.isRegularFile(f)) Files.delete(f);
        }
        Properties p = new Properties();
        p.setProperty("fingerprint", fingerprint);
        p.setProperty("chunks", String.valueOf(chunkCount));
        var text = new java.io.StringWriter();
        p.store(text, "Higgs Narrator: finished chunks of a render in progress; deleted when the output file is complete");
        AtomicFiles.writeString(job, text.toString());
        return false;
    }

    /** The chunk count of the job a folder holds ({@code job.properties}); -1 when it holds none. */
    public static int chunkCount(Path dir) {
        Path job = dir.resolve(JOB);
        if (!Files.isRegularFile(job)) return -1;
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(job, StandardCharsets.UTF_8)) {
            p.load(in);
            return Integer.parseInt(p.getProperty("chunks", "-1"));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Opens the folder for a job: its finished chunks when it holds the same job (same fingerprint), else (or with
     * {@code fresh}) an empty checkpoint.
     */
    public static RenderCheckpoint open(Path dir, String fingerprint, int chunkCount, boolean fresh) throws IOException {
        claim(dir, fingerprint, chunkCount, fresh);
        // Scan the records: the valid prefix defines what is done; a torn last record (a kill mid-write) is cut off.
        Path chunksFile = dir.resolve(CHUNKS), audioFile = dir.resolve(AUDIO);
        int done = 0;
        long goodEnd = 0, samples = 0;
        if (Files.exists(chunksFile)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(chunksFile), 1 << 16))) {
                while (true) {
                    Record r = Record.read(in, false);
                    if (r == null || r.index != done) break;
                    done++;
                    goodEnd += r.bytes;
                    samples = r.samples;
                }
            }
        }
        long audioBytes = Files.exists(audioFile) ? Files.size(audioFile) : 0;
        if (audioBytes < samples * 4) { // the audio of a recorded chunk is missing: the folder was tampered with
            done = 0;
            goodEnd = 0;
            samples = 0;
        }
        FileChannel c = FileChannel.open(chunksFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileChannel a = null;
        try {
            c.truncate(goodEnd);
            c.position(goodEnd);
            a = FileChannel.open(audioFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            a.truncate(samples * 4);
            a.position(samples * 4);
        } catch (IOException e) {
            c.close();
            if (a != null) a.close();
            throw e;
        }
        return new RenderCheckpoint(dir, c, a, done, samples);
    }

    /** What a checkpoint folder holds, read without opening it for a job (a render queue's view, a test's). */
    public record Status(int chunks, long samples) {}

    /** The finished chunks recorded in {@code dir} and the samples they cover (zeros when there is no checkpoint). */
    public static Status status(Path dir) throws IOException {
        Path chunksFile = dir.resolve(CHUNKS);
        if (!Files.exists(chunksFile)) return new Status(0, 0);
        int done = 0;
        long samples = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(chunksFile), 1 << 16))) {
            for (Record r; (r = Record.read(in, false)) != null && r.index == done; done++) samples = r.samples;
        }
        return new Status(done, samples);
    }

    public Path folder() {
        return dir;
    }

    /** Chunks finished and recorded. */
    public int done() {
        return done;
    }

    /** Samples on disk, as of the last record (plus any written since). */
    public long samples() {
        return samples;
    }

    /** The job's samples so far: {@code audio.f32}. */
    public Path audioFile() {
        return dir.resolve(AUDIO);
    }

    /** What a resumed job needs from the finished chunks, read in one pass. */
    public record Replay(ArrayDeque<Chunk> lastChunks, int[][] decoderTail, long tailStart, long emittedFrames, long frames) {}

    /** A finished chunk as recorded. */
    public record Chunk(int index, GenerationResult.Stop stop, int[][] codes) {}

    /**
     * Reads the finished chunks once, keeping the ones the next chunk carries as context (each record says how many
     * the context held after it) and the last frames of the job's code stream from {@code emittedFrames − tailFrames}
     * on (what a resumed decoder needs).
     */
    public Replay replay(int tailFrames, int numCodebooks) throws IOException {
        ArrayDeque<Chunk> last = new ArrayDeque<>();
        long frames = 0, emitted = 0;
        // the tail: codes of frames [tailStart, frames), trimmed as records arrive
        int[][] tail = new int[numCodebooks][0];
        long tailStart = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(CHUNKS)), 1 << 16))) {
            for (int i = 0; i < done; i++) {
                Record r = Record.read(in, true);
                if (r == null) throw new IOException(dir.resolve(CHUNKS) + " ends before chunk " + i);
                int f = r.codes.length == 0 ? 0 : r.codes[0].length;
                if (f > 0 && r.carried > 0) last.addLast(new Chunk(r.index, r.stop, r.codes));
                while (last.size() > r.carried) last.removeFirst();
                // append, then drop what lies before emitted − tailFrames
                int[][] grown = new int[numCodebooks][tail[0].length + f];
                for (int k = 0; k < numCodebooks; k++) {
                    System.arraycopy(tail[k], 0, grown[k], 0, tail[k].length);
                    if (f > 0) System.arraycopy(r.codes[k], 0, grown[k], tail[k].length, f);
                }
                frames += f;
                emitted = r.emittedFrames;
                long keepFrom = Math.max(tailStart, Math.max(0, emitted - tailFrames));
                int drop = Math.toIntExact(keepFrom - tailStart);
                for (int k = 0; k < numCodebooks; k++) grown[k] = java.util.Arrays.copyOfRange(grown[k], drop, grown[k].length);
                tail = grown;
                tailStart = keepFrom;
            }
        }
        return new Replay(last, tail, tailStart, emitted, frames);
    }

    /** Appends samples of the job's audio (buffered; on disk at the next {@link #chunkDone}). */
    public void audio(float[] s) {
        try {
            for (float v : s) {
                if (!audioBuf.hasRemaining()) flushAudio();
                audioBuf.putFloat(v);
            }
            samples += s.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + audioFile() + ": " + e.getMessage(), e);
        }
    }

    private void flushAudio() throws IOException {
        audioBuf.flip();
        while (audioBuf.hasRemaining()) audio.write(audioBuf);
        audioBuf.clear();
    }

    /**
     * Records a finished chunk after its audio: from here on it is never generated again.
     *
     * @param emittedFrames frames of the job's stream whose samples are on disk now
     * @param carried       chunks the context holds after this one (the last ones with frames): what a resume restores
     */
    public void chunkDone(int index, GenerationResult.Stop stop, int[][] codes, long emittedFrames, int carried) {
        if (index != done) throw new IllegalStateException("chunk " + index + " finished but " + done + " chunks are recorded");
        try {
            flushAudio();
            audio.force(false);
            byte[] rec = Record.encode(index, stop, codes, emittedFrames, samples, carried);
            ByteBuffer b = ByteBuffer.wrap(rec);
            while (b.hasRemaining()) chunks.write(b);
            chunks.force(false);
            done++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record chunk " + (index + 1) + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the audio written since the last record (the end of the job: the stream's last samples). */
    public void flush() {
        try {
            flushAudio();
            audio.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + audioFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            try {
                flushAudio();
            } finally {
                audio.close();
                chunks.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes the folder (the output file is complete). */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** One chunk record: magic, index, stop, carried, emitted frames, samples, K, F, codes (int, codebook-major), CRC32. */
    private record Record(int index, GenerationResult.Stop stop, int carried, long emittedFrames, long samples, int[][] codes, long bytes) {
        static final int HEAD = 37;

        static byte[] encode(int index, GenerationResult.Stop stop, int[][] codes, long emittedFrames, long samples, int carried) {
            int k = codes.length, f = k == 0 ? 0 : codes[0].length;
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(HEAD + 4L * k * f + 8));
            b.putInt(MAGIC).putInt(index).put((byte) stop.ordinal()).putInt(carried).putLong(emittedFrames).putLong(samples).putInt(k).putInt(f);
            for (int[] row : codes) for (int v : row) b.putInt(v);
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, b.position());
            b.putLong(crc.getValue());
            return b.array();
        }

        /** The next record, or null at the end or at a torn / damaged record. */
        static Record read(DataInputStream in, boolean keepCodes) throws IOException {
            try {
                byte[] head = new byte[HEAD];
                in.readFully(head);
                ByteBuffer h = ByteBuffer.wrap(head);
                if (h.getInt() != MAGIC) return null;
                int index = h.getInt();
                int stop = h.get();
                int carried = h.getInt();
                long emitted = h.getLong(), samples = h.getLong();
                int k = h.getInt(), f = h.getInt();
                if (k < 0 || f < 0 || k > 64 || carried < 0 || stop < 0 || stop >= GenerationResult.Stop.values().length || (long) k * f > (1L << 26)) return null;
                byte[] body = new byte[4 * k * f];
                in.readFully(body);
                long stored = in.readLong();
                CRC32 crc = new CRC32();
                crc.update(head);
                crc.update(body);
                if (crc.getValue() != stored) return null;
                int[][] codes = null;
                if (keepCodes) {
                    codes = new int[k][f];
                    ByteBuffer b = ByteBuffer.wrap(body);
                    for (int[] row : codes) for (int i = 0; i < f; i++) row[i] = b.getInt();
                }
                return new Record(index, GenerationResult.Stop.values()[stop], carried, emitted, samples, codes, (long) HEAD + body.length + 8);
            } catch (EOFException e) {
                return null;
            }
        }
    }
}
