package org.higgsnarrator.export;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Child of {@link SessionMemoryBench}: opens sessions of a package and prints this process's RSS. */
public final class SessionMemoryChild {
    public static void main(String[] a) throws Exception {
        Path pkg = Path.of(a[0]);
        String mode = a[1];
        var env = OrtEnvironment.getEnvironment();
        long base = rss()[0];
        List<OrtSession> open = new ArrayList<>();
        if (!mode.equals("decode")) {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            if (mode.endsWith("noprepack-prefill")) so.addConfigEntry("session.disable_prepacking", "1");
            open.add(env.createSession(pkg.resolve("prefill.onnx").toString(), so));
        }
        if (!mode.equals("prefill")) open.add(env.createSession(pkg.resolve("decode_step.onnx").toString(), new OrtSession.SessionOptions()));
        long[] r = rss();
        System.out.printf("RSS %.2f GB (anon %.2f GB, file %.2f GB), +%.2f GB over the bare JVM+ORT%n", r[0] / 1e6, r[1] / 1e6, r[2] / 1e6, (r[0] - base) / 1e6);
        for (OrtSession s : open) s.close();
    }

    static long[] rss() throws Exception {
        long[] out = new long[3];
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) out[0] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            if (line.startsWith("RssAnon:")) out[1] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            if (line.startsWith("RssFile:")) out[2] = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return out;
    }
}
