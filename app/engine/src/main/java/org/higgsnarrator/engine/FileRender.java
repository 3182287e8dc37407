package org.higgsnarrator.engine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.higgsnarrator.audio.AudioExporter;

/**
 * Renders a job into an audio file, resumably: the audio streams into a {@link RenderCheckpoint} folder beside the
 * output ({@code book.wav.parts}) as it is generated, finished chunks are recorded there, and only when every chunk is
 * done is the output written (a temporary file moved into place) and the folder removed. Running the same job again
 * after a stop resumes at the first unfinished chunk; {@code fresh} starts over.
 */
public final class FileRender {
    private FileRender() {}

    /**
     * What a user can check before any model loads: the output folder exists and can be written (a probe file is
     * created and removed there).
     *
     * @throws IllegalArgumentException naming the folder and what to do
     */
    public static void checkOutput(Path out) {
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IllegalArgumentException("the output " + out + " names no file; give a file such as chapter.wav");
        if (Files.isDirectory(abs)) throw new IllegalArgumentException("the output " + abs + " is a folder; give a file name inside it, such as " + abs.resolve("chapter.wav"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the output folder " + dir + " does not exist" + (Files.exists(dir) ? " (it is a file)" : "")
                    + "; create it or choose another --out");
        }
        try {
            Path probe = Files.createTempFile(dir, ".narrator-write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new IllegalArgumentException("cannot write to the output folder " + dir + " (" + why + "); make it writable or choose another --out");
        }
    }

    /**
     * @param resumedChunks chunks an earlier run had finished (0 for a fresh render)
     * @param seconds       audio length of the output
     */
    public record Outcome(SynthesisResult result, int resumedChunks, double seconds, Path output) {}

    /**
     * Runs the job into {@code out} (see the class comment).
     *
     * @param onResume told how many chunks were already rendered, before generation starts (may be null)
     * @throws java.util.concurrent.CancellationException when the job is cancelled; finished chunks stay for a resume
     */
    public static Outcome render(SynthesisJob job, Path out, AudioExporter.Format format, boolean fresh, SynthesisListener listener) throws IOException {
        checkOutput(out);
        Path parts = RenderCheckpoint.folderFor(out);
        SynthesisResult result;
        int resumed;
        long samples;
        try (RenderCheckpoint checkpoint = RenderCheckpoint.open(parts, job.fingerprint(), job.chunks().size(), fresh)) {
            resumed = checkpoint.done();
            result = job.run(listener, checkpoint);
            samples = checkpoint.samples();
        }
        new AudioExporter().exportFloatFile(parts.resolve(RenderCheckpoint.AUDIO), result.sampleRate(), out, format);
        RenderCheckpoint.delete(parts);
        return new Outcome(result, resumed, (double) samples / result.sampleRate(), out);
    }
}
