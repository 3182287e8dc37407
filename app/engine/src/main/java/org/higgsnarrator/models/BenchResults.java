package org.higgsnarrator.models;

import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.Device;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.higgsnarrator.pkg.PackageManifest;

/**
 * Speed measured by {@code ./narrator bench} on this machine, kept in {@code <user cache>/bench.json}
 * (Linux: {@code ~/.cache/higgs-narrator/bench.json}) so the precision advice can quote real numbers:
 * <pre>
 * {
 *   "formatVersion": 1,
 *   "results": [
 *     { "model": "higgs-audio-v2-generation-3B-base-int4",   package folder name (or manifest name)
 *       "precision": "int4",                                  fp32 | fp16 | int8 | int4
 *       "provider": "cpu",                                    cpu | cuda
 *       "threads": 16,                                        intra-op threads used
 *       "realtimeFactor": 1.6,                                seconds of audio per second of wall time, decode + codec
 *       "decodeFramesPerSecond": 40.2,                        generated frames per second (25 frames = 1 s of audio)
 *       "measuredAt": "2026-11-25T05:12:00Z" }                ISO-8601 UTC
 *   ]
 * }
 * </pre>
 * Unknown fields are ignored so the bench may record more. One result per (model, precision, provider, threads):
 * {@link #with} replaces an older measurement of the same combination.
 */
public record BenchResults(int formatVersion, List<Result> results) {
    public static final int FORMAT_VERSION = 1;

    public record Result(String model, Precision precision, Device provider, int threads, double realtimeFactor,
                         double decodeFramesPerSecond, String measuredAt) {}

    public BenchResults {
        results = results == null ? List.of() : List.copyOf(results);
    }

    public static BenchResults empty() {
        return new BenchResults(FORMAT_VERSION, List.of());
    }

    /** The results in {@code file}; empty when it does not exist. A damaged file is an error naming it. */
    public static BenchResults read(Path file) throws IOException {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            return empty();
        }
        BenchResults r;
        try {
            r = PackageManifest.GSON.fromJson(json, BenchResults.class);
        } catch (JsonParseException e) {
            throw new IOException(file + ": not a bench results file (" + e.getMessage() + "); delete it and run ./narrator bench again", e);
        }
        if (r == null) return empty();
        if (r.formatVersion() > FORMAT_VERSION) {
            throw new IOException(file + ": formatVersion " + r.formatVersion() + " is newer than this app reads (" + FORMAT_VERSION + ")");
        }
        for (Result x : r.results()) {
            if (x == null || x.precision() == null || x.provider() == null) {
                throw new IOException(file + ": a result lacks \"precision\" or \"provider\"; delete the file and run ./narrator bench again");
            }
        }
        return r;
    }

    public BenchResults with(Result r) {
        List<Result> out = new ArrayList<>();
        for (Result x : results) {
            boolean same = Objects.equals(x.model(), r.model()) && x.precision() == r.precision()
                    && x.provider() == r.provider() && x.threads() == r.threads();
            if (!same) out.add(x);
        }
        out.add(r);
        return new BenchResults(FORMAT_VERSION, out);
    }

    /** Written to a temporary file and moved into place. */
    public void write(Path file) throws IOException {
        org.higgsnarrator.io.AtomicFiles.writeString(file, PackageManifest.GSON.toJson(this));
    }

    /** Fastest measurement of a precision on a provider, if any. */
    public Result best(Precision p, Device provider) {
        Result best = null;
        for (Result r : results) {
            if (r.precision() == p && r.provider() == provider
                    && (best == null || r.realtimeFactor() > best.realtimeFactor())) best = r;
        }
        return best;
    }
}
