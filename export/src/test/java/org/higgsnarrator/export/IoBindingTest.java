package org.higgsnarrator.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.decode.AudioLanguageModel;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.runtime.IoBindingAudioLanguageModel;
import org.higgsnarrator.runtime.OrtAudioLanguageModel;
import org.higgsnarrator.runtime.OrtRuntime;
import org.higgsnarrator.runtime.RuntimeOptions;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C API IoBinding path (KV cache allocated by the session, bound as past and present) computes exactly what the
 * Java API path computes: same sessions and kernels on the CPU, so prefill and every free-running greedy step give
 * bit-identical logits, including a second prefill that continues a state after decode steps.
 */
class IoBindingTest {
    @TempDir
    static Path tmp;

    @Test
    void bindingPathIsBitIdenticalToJavaApiPath() {
        Path pkg = tmp.resolve("pkg");
        Exporter.export(KitFixture.OFFICIAL, KitFixture.TOKENIZER, pkg, ExportOptions.defaults().withMaxContext(256), List.of(), Exporter.Progress.SILENT);
        RuntimeOptions cpu = RuntimeOptions.defaults().withDevice(Device.CPU);
        try (OrtRuntime rt = new OrtRuntime(cpu.withIoBinding(true));
             AudioLanguageModel bound = OrtAudioLanguageModel.open(ModelPackage.open(pkg, false), rt);
             AudioLanguageModel plain = OrtAudioLanguageModel.open(ModelPackage.open(pkg, false), new OrtRuntime(cpu));
             SafeTensorsFile g = KitFixture.golden()) {
            assertInstanceOf(IoBindingAudioLanguageModel.class, bound);
            assertInstanceOf(OrtAudioLanguageModel.class, plain);
            long[] ids = KitFixture.inputIds("clone");
            int[][] frames = KitFixture.audioFrames(g, "clone");
            int k = plain.config().numCodebooks(), entries = plain.config().codebookEntries();
            try (var a = bound.newState(ids.length * 2 + 40); var b = plain.newState(ids.length * 2 + 40)) {
                float[][] la = bound.prefill(a, ids, frames, 4), lb = plain.prefill(b, ids, frames, 4);
                for (int i = 0; i < 4; i++) assertArrayEquals(lb[i], la[i], "prefill logits row " + i);
                float[] last = lb[3];
                for (int step = 0; step < 20; step++) {
                    int[] frame = new int[k];
                    for (int j = 0; j < k; j++) frame[j] = argmax(last, j * entries, entries);
                    float[] sa = bound.step(a, frame);
                    last = plain.step(b, frame);
                    assertArrayEquals(last, sa, "step " + step + " logits");
                }
                // a second prompt on top of the generated positions (how a long text continues a state)
                la = bound.prefill(a, ids, frames, 1);
                lb = plain.prefill(b, ids, frames, 1);
                assertArrayEquals(lb[0], la[0], "continued prefill logits");
                assertEquals(b.position(), a.position());
            }
        }
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }
}
