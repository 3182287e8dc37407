package org.higgsnarrator.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the nodes of a session actually ran, checked rather than assumed: ORT's profiler records, for every node it
 * runs, the op type and the execution provider that ran it ({@code "cat": "Node"} events named
 * {@code <node>_kernel_time} with {@code args.op_name} and {@code args.provider}). {@link OrtAudioLanguageModel}
 * opens its decode session with profiling on when it runs on CUDA (or when {@link RuntimeOptions#placementReport()}
 * asks), runs one step, ends the profile ({@link OrtSession#endProfiling()}, so later steps are not profiled) and
 * reads it here. On the CPU the same code runs and reports every node on the CPU, which is how it is tested without
 * a GPU.
 *
 * @param nodes ops per provider: provider (e.g. {@code CUDAExecutionProvider}) → op type → number of nodes
 */
public record NodePlacement(Map<String, Map<String, Integer>> nodes) {
    public static final String CUDA = "CUDAExecutionProvider", CPU = "CPUExecutionProvider";

    /** Reads an ORT profile (a JSON array of trace events). */
    public static NodePlacement fromProfile(Path profile) {
        try (Reader r = Files.newBufferedReader(profile)) {
            JsonElement root = JsonParser.parseReader(r);
            JsonArray events = root.isJsonArray() ? root.getAsJsonArray()
                    : root.isJsonObject() && root.getAsJsonObject().has("traceEvents") ? root.getAsJsonObject().getAsJsonArray("traceEvents") : null;
            if (events == null) throw new IllegalStateException("ORT profile " + profile + " is not a list of trace events");
            Map<String, String[]> byNode = new TreeMap<>(); // node name → {provider, op}
            for (JsonElement e : events) {
                if (!e.isJsonObject()) continue;
                JsonObject o = e.getAsJsonObject();
                if (!o.has("cat") || !"Node".equals(o.get("cat").getAsString()) || !o.has("name") || !o.has("args")) continue;
                String name = o.get("name").getAsString();
                if (!name.endsWith("_kernel_time")) continue;
                JsonObject args = o.getAsJsonObject("args");
                if (!args.has("provider") || !args.has("op_name")) continue;
                byNode.put(name.substring(0, name.length() - "_kernel_time".length()),
                        new String[] {args.get("provider").getAsString(), args.get("op_name").getAsString()});
            }
            if (byNode.isEmpty()) throw new IllegalStateException("ORT profile " + profile + " records no node runs (was a run profiled?)");
            Map<String, Map<String, Integer>> nodes = new TreeMap<>();
            for (String[] pv : byNode.values()) nodes.computeIfAbsent(pv[0], x -> new TreeMap<>()).merge(pv[1], 1, Integer::sum);
            return new NodePlacement(nodes);
        } catch (IOException | JsonParseException | IllegalStateException | ClassCastException e) {
            throw new IllegalStateException("cannot read the ORT profile " + profile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Ends the profiling of a session opened with {@link OrtRuntime#openProfiled} after the runs to report on, reads
     * the profile and deletes it.
     */
    public static NodePlacement collect(OrtSession session) {
        Path file;
        try {
            file = Path.of(session.endProfiling());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot end the ORT profile: " + OrtMessages.describe(e), e);
        }
        try {
            return fromProfile(file);
        } finally {
            try {
                Files.deleteIfExists(file);
                Path dir = file.getParent();
                if (dir != null && dir.getFileName().toString().startsWith("narrator-placement")) Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a leftover profile in the temp folder harms nothing
            }
        }
    }

    public int total() {
        return nodes.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
    }

    /** Nodes run by {@code provider}. */
    public int on(String provider) {
        return nodes.getOrDefault(provider, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Whether an op of this type ran on the CPU provider (e.g. GroupQueryAttention). */
    public boolean onCpu(String opType) {
        return nodes.getOrDefault(CPU, Map.of()).containsKey(opType);
    }

    /** "N nodes on CUDA, M on CPU (ops…)", or "all N nodes on the CPU" when nothing ran on CUDA. */
    public String summary() {
        int cuda = on(CUDA), cpu = on(CPU), other = total() - cuda - cpu;
        if (cuda == 0 && other == 0) return "all " + cpu + " decode-step nodes on the CPU";
        StringBuilder s = new StringBuilder().append(cuda).append(" decode-step nodes on CUDA, ").append(cpu).append(" on CPU");
        if (cpu > 0) s.append(" (").append(ops(CPU)).append(')');
        nodes.forEach((p, ops) -> {
            if (!p.equals(CUDA) && !p.equals(CPU)) s.append(", ").append(on(p)).append(" on ").append(p).append(" (").append(ops(p)).append(')');
        });
        return s.toString();
    }

    /** The op types a provider ran, with counts: "GroupQueryAttention×28, Gather×3". */
    public String ops(String provider) {
        return nodes.getOrDefault(provider, Map.of()).entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", "));
    }
}
