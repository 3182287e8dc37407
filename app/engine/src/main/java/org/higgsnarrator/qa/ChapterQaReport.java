package org.higgsnarrator.qa;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The take checks of one chapter, as text (for terminals and logs) and JSON (for tools).
 *
 * @param chapter  what was checked (file or chapter name)
 * @param takes    one report per chunk/segment, in order (the take that was kept)
 * @param retakes  per take index, how many takes were rendered in all (1 = no re-roll); may be empty
 */
public record ChapterQaReport(String chapter, List<TakeReport> takes, List<Integer> retakes) {
    public ChapterQaReport {
        takes = List.copyOf(takes);
        retakes = List.copyOf(retakes);
    }

    public long flaggedCount() {
        return takes.stream().filter(TakeReport::flagged).count();
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s — take QA: %d of %d flagged%n", chapter, flaggedCount(), takes.size()));
        for (int i = 0; i < takes.size(); i++) {
            TakeReport t = takes.get(i);
            String tries = i < retakes.size() && retakes.get(i) > 1 ? String.format(Locale.ROOT, ", best of %d takes", retakes.get(i)) : "";
            sb.append(String.format(Locale.ROOT, "  %-4s #%-3d %6.2f s  %3d words  %4.2f words/s  level %6.1f dB%s%n", t.flagged() ? "FLAG" : "ok",
                    t.index() + 1, t.seconds(), t.words(), t.wordsPerSecond(), t.levelDb(), tries));
            for (Finding f : t.findings()) sb.append("         ").append(f.message()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    public String json() {
        JsonObject o = new JsonObject();
        o.addProperty("chapter", chapter);
        o.addProperty("flagged", flaggedCount());
        JsonArray arr = new JsonArray();
        for (int i = 0; i < takes.size(); i++) {
            TakeReport t = takes.get(i);
            JsonObject j = new JsonObject();
            j.addProperty("index", t.index());
            j.addProperty("flagged", t.flagged());
            j.addProperty("score", t.score());
            j.addProperty("seconds", t.seconds());
            j.addProperty("speechSeconds", t.speechSeconds());
            j.addProperty("words", t.words());
            j.addProperty("wordsPerSecond", t.wordsPerSecond());
            j.addProperty("levelDb", t.levelDb());
            if (i < retakes.size()) j.addProperty("takesRendered", retakes.get(i));
            JsonArray fs = new JsonArray();
            for (Finding f : t.findings()) {
                JsonObject x = new JsonObject();
                x.addProperty("kind", f.kind().name());
                x.addProperty("measured", f.measured());
                x.addProperty("limit", f.limit());
                x.addProperty("unit", f.unit());
                if (!Double.isNaN(f.atSeconds())) x.addProperty("atSeconds", f.atSeconds());
                x.addProperty("message", f.message());
                fs.add(x);
            }
            j.add("findings", fs);
            arr.add(j);
        }
        o.add("takes", arr);
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(o);
    }
}
