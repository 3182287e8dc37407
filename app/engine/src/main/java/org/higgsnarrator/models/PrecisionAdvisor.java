package org.higgsnarrator.models;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.runtime.Device;

/**
 * Recommends the precision to run (or convert) on this machine.
 *
 * <p>Policy, in order:
 * <ol>
 *   <li>only precisions whose memory need fits in {@link #RAM_SHARE} of the machine's RAM are candidates;</li>
 *   <li>with bench results for the chosen provider: the most precise candidate measured at ≥ 1.0× real-time;</li>
 *   <li>otherwise by rule: with CUDA int4-fp16, without a suitable GPU int4 (decoding is bound by memory bandwidth:
 *       every generated frame reads all weights, so the fewest bytes win; on CUDA the activations and the KV cache must
 *       be fp16, or ORT runs every attention node on the CPU — {@link Precision#attentionRunsOnCuda()});</li>
 *   <li>if the rule's choice does not fit, the next smaller precision that does; if none does, the smallest with a warning.</li>
 * </ol>
 * Candidates per provider, most precise first: CPU fp32, fp16, int8, int4; CUDA fp16, int8-fp16, int4-fp16 (the
 * precisions whose attention stays on the GPU).
 */
public final class PrecisionAdvisor {
    private PrecisionAdvisor() {}

    /** Share of the RAM a model may plan to use; the rest stays for the OS, the studio and file caches. */
    public static final double RAM_SHARE = 0.8;

    /** What the advice is based on. {@code cuda}: the CUDA provider was chosen (a usable GPU and the GPU build). */
    public record MachineInfo(long totalRamBytes, long freeRamBytes, int cpus, boolean cuda) {
        public static MachineInfo detect(boolean cuda) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new MachineInfo(os.getTotalMemorySize(), os.getFreeMemorySize(), Runtime.getRuntime().availableProcessors(), cuda);
        }

        public Device provider() {
            return cuda ? Device.CUDA : Device.CPU;
        }
    }

    /**
     * One precision considered.
     *
     * @param ramBytes memory it needs; -1 when unknown (no package and no estimate for it)
     * @param measured the fastest bench result on this provider, or null
     */
    public record Option(Precision precision, long ramBytes, boolean fits, BenchResults.Result measured) {}

    public record Advice(Precision recommended, String reason, List<Option> options, MachineInfo machine) {
        /** A few lines for a terminal. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Machine: %s RAM, %d CPUs, provider %s%n", Digests.human(machine.totalRamBytes()),
                    machine.cpus(), machine.provider().id()));
            sb.append(String.format(Locale.ROOT, "  %-9s %-12s %-5s %s%n", "precision", "memory", "fits", "measured speed"));
            for (Option o : options) {
                String speed = o.measured() == null ? "not measured (./narrator bench)" : String.format(Locale.ROOT, "%.2f× real-time (%s, %d threads, %s)",
                        o.measured().realtimeFactor(), o.measured().model(), o.measured().threads(), o.measured().measuredAt());
                sb.append(String.format(Locale.ROOT, "  %-9s %-12s %-5s %s%n", o.precision(), o.ramBytes() < 0 ? "?" : Digests.human(o.ramBytes()),
                        o.ramBytes() < 0 ? "?" : o.fits() ? "yes" : "no", speed));
            }
            sb.append("Recommended: ").append(recommended).append(" — ").append(reason);
            return sb.toString();
        }
    }

    /** @param ramNeeded memory per precision (from installed packages or estimates); missing entries count as unknown */
    public static Advice advise(MachineInfo m, Map<Precision, Long> ramNeeded, BenchResults bench) {
        long budget = (long) (m.totalRamBytes() * RAM_SHARE);
        List<Option> options = new ArrayList<>();
        Map<Precision, Option> byP = new EnumMap<>(Precision.class);
        for (Precision p : Precision.values()) {
            long ram = ramNeeded.getOrDefault(p, -1L);
            Option o = new Option(p, ram, ram < 0 || ram <= budget, bench.best(p, m.provider()));
            options.add(o);
            byP.put(p, o);
        }
        List<Precision> order = candidates(m.cuda());
        // Measured: the most precise precision that runs at least in real time here.
        for (Precision p : order) {
            Option o = byP.get(p);
            if (o.fits() && o.measured() != null && o.measured().realtimeFactor() >= 1.0) {
                return new Advice(p, String.format(Locale.ROOT, "the most precise one measured at ≥ 1× real-time on this machine (%.2f×)",
                        o.measured().realtimeFactor()), options, m);
            }
        }
        Precision rule = order.getLast();
        String why = m.cuda() ? "CUDA is available: each generated frame reads every weight, so the smallest weights are fastest, and with"
                + " fp16 activations and KV cache every attention node stays on the GPU (int8/int4 packages compute in fp32: ORT"
                + " runs their attention on the CPU)"
                : "no suitable GPU: on a CPU each generated frame reads every weight, so the smallest weights are fastest";
        for (int i = order.indexOf(rule); i < order.size(); i++) {
            Precision p = order.get(i);
            if (byP.get(p).fits()) {
                return new Advice(p, p == rule ? why : why + "; " + rule + " needs more than " + Math.round(RAM_SHARE * 100)
                        + "% of the RAM (" + Digests.human(budget) + "), " + p + " fits", options, m);
            }
        }
        return new Advice(rule, "even " + rule + " needs more than " + Math.round(RAM_SHARE * 100) + "% of the RAM ("
                + Digests.human(budget) + "); expect swapping — close other programs or use a machine with more memory", options, m);
    }

    /** The precisions worth running on a provider, most precise first (the last is the smallest). */
    public static List<Precision> candidates(boolean cuda) {
        return cuda ? List.of(Precision.FP16, Precision.INT8_FP16, Precision.INT4_FP16)
                : List.of(Precision.FP32, Precision.FP16, Precision.INT8, Precision.INT4);
    }

    /** Memory per precision from conversion estimates. */
    public static Map<Precision, Long> ramOf(Map<Precision, ResourceEstimator.Estimate> estimates) {
        Map<Precision, Long> out = new EnumMap<>(Precision.class);
        estimates.forEach((p, e) -> out.put(p, e.ramBytes()));
        return out;
    }
}
