package org.higgsnarrator.audio;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The external {@code ffmpeg} program, used only for what no maintained Java library does: AAC in MP4 (M4B/M4A with
 * chapters) and reading OGG/Opus/M4A input. Found via the system property {@code narrator.ffmpeg}, the environment
 * variable {@code FFMPEG}, or the PATH.
 */
public final class Ffmpeg {
    public static final String INSTALL_HINT = "install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; Fedora: sudo dnf install ffmpeg; "
            + "macOS: brew install ffmpeg; Windows: winget install ffmpeg) or point the FFMPEG environment variable at the program";

    private final Path exe;

    private Ffmpeg(Path exe) {
        this.exe = exe;
    }

    /** The ffmpeg to use, if one is installed. */
    public static Optional<Ffmpeg> find() {
        for (String explicit : new String[] {System.getProperty("narrator.ffmpeg"), System.getenv("FFMPEG")}) {
            if (explicit != null && !explicit.isBlank()) {
                Path p = Path.of(explicit);
                return Files.isExecutable(p) ? Optional.of(new Ffmpeg(p)) : Optional.empty();
            }
        }
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, windows ? "ffmpeg.exe" : "ffmpeg");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(new Ffmpeg(p));
        }
        return Optional.empty();
    }

    public Path executable() {
        return exe;
    }

    /**
     * Runs {@code ffmpeg -hide_banner -nostdin -v error ARGS}; returns stderr. Fails with ffmpeg's own message when
     * it exits non-zero.
     */
    public String run(List<String> args, long timeoutSeconds) throws IOException {
        return run(args, timeoutSeconds, null);
    }

    /**
     * As {@link #run(List, long)}, writing {@code stdin} (when not null) to ffmpeg's standard input as 32-bit
     * little-endian floats, block by block, for an input {@code -f f32le ... -i pipe:0}: audio that is never held whole
     * in memory (a book's chapters, read one take file at a time) goes to ffmpeg without a temporary copy.
     */
    public String run(List<String> args, long timeoutSeconds, FloatReader stdin) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-hide_banner", "-nostdin"));
        cmd.addAll(args);
        Path err = Files.createTempFile("narrator-ffmpeg-", ".log");
        Process p = null;
        boolean finished = false;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile());
            p = pb.start();
            if (stdin != null) feed(stdin, p.getOutputStream());
            boolean done;
            try {
                done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running ffmpeg", e);
            }
            if (!done) throw new IOException("ffmpeg did not finish within " + timeoutSeconds + " s: " + String.join(" ", cmd));
            finished = true;
            String log = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0)
                throw new IOException("ffmpeg failed (exit " + p.exitValue() + "): " + lastLines(log, 6));
            return log;
        } finally {
            if (p != null && !finished) p.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    /**
     * Writes the samples to ffmpeg's input and closes it. If ffmpeg stops reading (it failed: its exit status and
     * message then say why), the rest is not read; errors reading the samples themselves propagate.
     */
    private static void feed(FloatReader in, java.io.OutputStream pipe) throws IOException {
        float[] block = new float[16384];
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * block.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        try {
            for (int r; (r = in.read(block, 0, block.length)) >= 0; ) {
                bytes.clear();
                for (int i = 0; i < r; i++) bytes.putFloat(block[i]);
                try {
                    pipe.write(bytes.array(), 0, bytes.position());
                } catch (IOException broken) {
                    return; // ffmpeg stopped reading: it failed, and its exit status and message say why
                }
            }
        } finally {
            try {
                pipe.close();
            } catch (IOException ignored) {
                // ffmpeg already closed its end; its exit status says why
            }
        }
    }


    private static String lastLines(String s, int n) {
        String[] lines = s.strip().split("\\R");
        return String.join(" | ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length));
    }
}
