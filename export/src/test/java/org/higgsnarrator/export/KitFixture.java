package org.higgsnarrator.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.higgsnarrator.tensors.SafeTensorsFile;

/** The conformance kit (system property narrator.kit.root, set by surefire) and its golden prompt cases. */
final class KitFixture {
    static final Path ROOT = Path.of(System.getProperty("narrator.kit.root", "../../shared/conformance")).toAbsolutePath().normalize();
    static final Path TINY = ROOT.resolve("tiny");
    static final Path OFFICIAL = TINY.resolve("model");
    static final Path TOKENIZER = ROOT.resolve("text-tokenizer/tokenizer.json");

    private KitFixture() {}

    static JsonObject cases() {
        try {
            return JsonParser.parseString(Files.readString(TINY.resolve("golden/cases.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SafeTensorsFile golden() {
        return SafeTensorsFile.open(TINY.resolve("golden/tensors.safetensors"));
    }

    static long[] inputIds(String prompt) {
        JsonArray a = cases().getAsJsonObject("prompts").getAsJsonObject(prompt).getAsJsonArray("input_ids");
        long[] ids = new long[a.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = a.get(i).getAsLong();
        return ids;
    }

    /** The golden prompt's audio frames [F][K] (masked frames dropped); empty when the prompt has no audio. */
    static int[][] audioFrames(SafeTensorsFile g, String prompt) {
        String name = "prompt." + prompt + ".audio_input_ids";
        if (!g.contains(name)) return new int[0][];
        long[] codes = g.longs(name);
        long[] mask = g.longs(name + "_mask");
        int f = mask.length, k = codes.length / f;
        return java.util.stream.IntStream.range(0, f).filter(i -> mask[i] != 0).mapToObj(i -> {
            int[] fr = new int[k];
            for (int j = 0; j < k; j++) fr[j] = (int) codes[i * k + j];
            return fr;
        }).toArray(int[][]::new);
    }
}
