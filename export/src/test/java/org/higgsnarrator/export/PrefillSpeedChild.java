package org.higgsnarrator.export;

import java.nio.file.Path;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;

/** Child of {@link SessionMemoryBench}: prefill and decode-step time with and without prepacked prefill weights. */
public final class PrefillSpeedChild {
    public static void main(String[] a) {
        Path pkg = Path.of(a[0]);
        int promptLen = 256, steps = 32, reps = 3;
        double[] prefillMs = new double[2], stepMs = new double[2];
        for (int v = 0; v < 2; v++) {
            boolean prepack = v == 1;
            RuntimeOptions ro = RuntimeOptions.defaults().withDevice(Device.CPU).withPrepackPrefill(prepack);
            try (OrtRuntime rt = new OrtRuntime(ro); OrtAudioLanguageModel m = new OrtAudioLanguageModel(ModelPackage.open(pkg, false), rt)) {
                long[] ids = new long[promptLen];
                for (int i = 0; i < promptLen; i++) ids[i] = 1000 + (i * 7919) % 100000;
                double bestP = Double.MAX_VALUE, bestS = Double.MAX_VALUE;
                for (int r = 0; r <= reps; r++) { // first round warms up
                    try (var st = m.newState(promptLen + steps)) {
                        long t0 = System.nanoTime();
                        m.prefill(st, ids, new int[0][], 1);
                        long t1 = System.nanoTime();
                        for (int s = 0; s < steps; s++) m.step(st, new int[] {s, s + 1, s + 2, s + 3, s + 4, s + 5, s + 6, s + 7});
                        long t2 = System.nanoTime();
                        if (r > 0) {
                            bestP = Math.min(bestP, (t1 - t0) / 1e6);
                            bestS = Math.min(bestS, (t2 - t1) / 1e6 / steps);
                        }
                    }
                }
                prefillMs[v] = bestP;
                stepMs[v] = bestS;
            }
        }
        System.out.printf("prefill %d tokens: %.0f ms without prepacking, %.0f ms prepacked (ratio %.2f); decode step %.1f ms / %.1f ms%n",
                promptLen, prefillMs[0], prefillMs[1], prefillMs[0] / prefillMs[1], stepMs[0], stepMs[1]);
    }
}
