package org.higgsnarrator.models;

import org.higgsnarrator.pkg.Precision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.models.PrecisionAdvisor.MachineInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionAdvisorTest {
    static final long GB = 1_000_000_000L;
    @TempDir Path tmp;

    Map<Precision, Long> releasedNeeds() {
        return PrecisionAdvisor.ramOf(ResourceEstimator.estimateAll(ResourceEstimatorTest.released(), 200_000_000L, 9_000_000L, 4096));
    }

    @Test
    void cpuOnlyMachineGetsInt4() {
        var a = PrecisionAdvisor.advise(new MachineInfo(64 * GB, 40 * GB, 16, false), releasedNeeds(), BenchResults.empty());
        assertEquals(Precision.INT4, a.recommended());
        assertTrue(a.reason().contains("no suitable GPU"), a.reason());
        assertTrue(a.describe().contains("not measured"), a.describe());
    }

    @Test
    void cudaMachineGetsTheFp16ActivationInt4PackageNeverOneWithAttentionOnTheCpu() {
        Map<Precision, Long> needs = releasedNeeds();
        var a = PrecisionAdvisor.advise(new MachineInfo(64 * GB, 60 * GB, 16, true), needs, BenchResults.empty());
        assertEquals(Precision.INT4_FP16, a.recommended());
        assertTrue(a.reason().contains("every attention node stays on the GPU"), a.reason());
        assertTrue(a.recommended().attentionRunsOnCuda());
        // measured on CUDA: the most precise candidate at ≥ 1× real-time; an int4 (fp32 activations) result is no candidate
        BenchResults b = BenchResults.empty()
                .with(new BenchResults.Result("v-int4", Precision.INT4, org.higgsnarrator.runtime.Device.CUDA, 1, 5.0, 125, "t0"))
                .with(new BenchResults.Result("v-int8-fp16", Precision.INT8_FP16, org.higgsnarrator.runtime.Device.CUDA, 1, 12.0, 300, "t1"));
        assertEquals(Precision.INT8_FP16, PrecisionAdvisor.advise(new MachineInfo(64 * GB, 60 * GB, 16, true), needs, b).recommended());
        for (Precision p : PrecisionAdvisor.candidates(true)) assertTrue(p.attentionRunsOnCuda(), p + " keeps attention on the GPU");
        // and on the CPU the fp16-activation packages are never advised
        assertEquals(List.of(Precision.FP32, Precision.FP16, Precision.INT8, Precision.INT4), PrecisionAdvisor.candidates(false));
    }

    @Test
    void nothingFitsStillAnswersInt4WithAWarning() {
        var a = PrecisionAdvisor.advise(new MachineInfo(2 * GB, GB, 2, false), releasedNeeds(), BenchResults.empty());
        assertEquals(Precision.INT4, a.recommended());
        assertTrue(a.reason().contains("expect swapping"), a.reason());
    }

    @Test
    void measuredSpeedPicksTheMostPreciseRealTimeOption() {
        BenchResults b = BenchResults.empty()
                .with(new BenchResults.Result("v-int4", org.higgsnarrator.pkg.Precision.INT4, org.higgsnarrator.runtime.Device.CPU, 16, 2.1, 52.5, "2026-11-25T05:00:00Z"))
                .with(new BenchResults.Result("v-int8", org.higgsnarrator.pkg.Precision.INT8, org.higgsnarrator.runtime.Device.CPU, 16, 1.2, 30.0, "2026-11-25T05:01:00Z"))
                .with(new BenchResults.Result("v-fp32", org.higgsnarrator.pkg.Precision.FP32, org.higgsnarrator.runtime.Device.CPU, 16, 0.4, 10.0, "2026-11-25T05:02:00Z"))
                .with(new BenchResults.Result("v-fp16", org.higgsnarrator.pkg.Precision.FP16, org.higgsnarrator.runtime.Device.CUDA, 1, 9.0, 225, "2026-11-25T05:03:00Z"));
        var a = PrecisionAdvisor.advise(new MachineInfo(64 * GB, 40 * GB, 16, false), releasedNeeds(), b);
        assertEquals(Precision.INT8, a.recommended());
        assertTrue(a.reason().contains("1.20×"), a.reason());
        assertNull(a.options().get(Precision.FP16.ordinal()).measured(), "CUDA results do not count on the CPU");
        assertTrue(a.describe().contains("2.10× real-time (v-int4, 16 threads"), a.describe());
    }

    @Test
    void machineDetectionReadsRealValues() {
        MachineInfo m = MachineInfo.detect(false);
        assertTrue(m.totalRamBytes() > 100_000_000L && m.cpus() >= 1, m.toString());
        assertEquals(org.higgsnarrator.runtime.Device.CPU, m.provider());
    }

    @Test
    void benchFileRoundTripsAndReplacesTheSameCombination() throws IOException {
        Path f = tmp.resolve("cache/bench.json");
        assertTrue(BenchResults.read(f).results().isEmpty(), "absent file: no results");
        BenchResults b = BenchResults.empty().with(new BenchResults.Result("m", org.higgsnarrator.pkg.Precision.INT4, org.higgsnarrator.runtime.Device.CPU, 8, 1.0, 25, "t1"));
        b.with(new BenchResults.Result("m", org.higgsnarrator.pkg.Precision.INT4, org.higgsnarrator.runtime.Device.CPU, 8, 1.5, 37.5, "t2")).write(f);
        BenchResults back = BenchResults.read(f);
        assertEquals(1, back.results().size());
        assertEquals(1.5, back.best(Precision.INT4, org.higgsnarrator.runtime.Device.CPU).realtimeFactor());
        // the file keeps the spelling it has always had (and ./narrator bench of older versions wrote)
        assertTrue(Files.readString(f).contains("\"precision\": \"int4\"") && Files.readString(f).contains("\"provider\": \"cpu\""), Files.readString(f));
        Files.writeString(f, "{ not json");
        IOException e = assertThrows(IOException.class, () -> BenchResults.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
