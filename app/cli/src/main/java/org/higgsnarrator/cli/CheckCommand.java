package org.higgsnarrator.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioOptions;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.audio.ComplianceReport;
import org.higgsnarrator.audio.Loudness;
import org.higgsnarrator.audio.LoudnessMeter;
import org.higgsnarrator.audio.MasteringPreset;

/** {@code ./narrator check}: Measure an audio file against a loudness preset. */
public final class CheckCommand implements Command {
    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "Measure an audio file against a loudness preset.";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator check IN... [--preset acx|podcast] [--json]

                Prints loudness measurements of each file: integrated loudness (ITU-R BS.1770-4 / EBU R128), true peak
                (4x oversampled), sample peak, RMS, noise floor (quietest 0.5 s) and the silence at head and tail.
                With --preset, also checks each file against it (see ./narrator master --help for the limits).

                  --preset acx|podcast   check against this delivery specification
                  --json                 print the measurements (and checks) as JSON

                Exit status: 0 all files measured (and compliant), 1 a file failed the preset or could not be read, 2 usage error.""";
    }

    static MasteringPreset preset(String s) {
        try {
            return MasteringPreset.parse(s);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(Set.of("preset", "json"));
        if (args.positionals().isEmpty()) throw new Args.UsageException("give at least one audio file");
        MasteringPreset preset = args.has("preset") ? preset(args.get("preset")) : null;
        boolean json = args.has("json");
        boolean allPass = true;
        JsonArray results = new JsonArray();
        for (String name : args.positionals()) {
            Path file = Path.of(name);
            AudioClip clip = AudioReader.read(file);
            Loudness l = LoudnessMeter.measure(clip, AudioOptions.DEFAULTS);
            ComplianceReport report = preset == null ? null : preset.check(file.getFileName().toString(), l);
            if (report != null) allPass &= report.passed();
            if (json) {
                results.add(toJson(file, clip, l, report));
            } else {
                System.out.printf("%s: %d Hz, %d channel%s%n", file, clip.sampleRate(), clip.channels(), clip.channels() == 1 ? "" : "s");
                System.out.println(l.describe().indent(2).stripTrailing());
                if (report != null) System.out.print(report.format());
            }
        }
        if (json) {
            System.out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(results));
        }
        return allPass ? 0 : 1;
    }

    private static JsonObject toJson(Path file, AudioClip clip, Loudness l, ComplianceReport report) {
        JsonObject o = new JsonObject();
        o.addProperty("file", file.toString());
        o.addProperty("sampleRate", clip.sampleRate());
        o.addProperty("channels", clip.channels());
        o.addProperty("seconds", l.seconds());
        o.addProperty("integratedLufs", l.integratedLufs());
        o.addProperty("truePeakDbtp", l.truePeakDb());
        o.addProperty("peakDbfs", l.peakDb());
        o.addProperty("rmsDb", l.rmsDb());
        o.addProperty("noiseFloorDb", l.noiseFloorDb());
        o.addProperty("programmeNoiseDb", l.programmeNoiseDb());
        o.addProperty("roomToneNoiseDb", l.roomToneNoiseDb());
        o.addProperty("headSilenceSeconds", l.headSilenceSeconds());
        o.addProperty("tailSilenceSeconds", l.tailSilenceSeconds());
        if (report != null) {
            o.addProperty("preset", report.preset().toString());
            o.addProperty("passed", report.passed());
            JsonArray checks = new JsonArray();
            for (ComplianceReport.Check c : report.checks()) {
                JsonObject j = new JsonObject();
                j.addProperty("name", c.name());
                j.addProperty("measured", c.measured());
                j.addProperty("unit", c.unit());
                j.addProperty("limit", c.limit());
                j.addProperty("passed", c.passed());
                checks.add(j);
            }
            o.add("checks", checks);
        }
        return o;
    }
}
