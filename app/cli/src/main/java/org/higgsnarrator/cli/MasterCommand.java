package org.higgsnarrator.cli;

import java.nio.file.Path;
import java.util.Set;
import org.higgsnarrator.audio.AudioClip;
import org.higgsnarrator.audio.AudioExporter;
import org.higgsnarrator.audio.AudioReader;
import org.higgsnarrator.audio.ComplianceReport;
import org.higgsnarrator.audio.Mastering;
import org.higgsnarrator.audio.MasteringPreset;

/** {@code ./narrator master}: Normalize an audio file to a loudness preset (acx, podcast). */
public final class MasterCommand implements Command {
    @Override
    public String name() {
        return "master";
    }

    @Override
    public String summary() {
        return "Normalize an audio file to a loudness preset (acx, podcast).";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator master IN --preset acx|podcast --out OUT [--format FORMAT]

                Masters one chapter: trims the silence at both ends, brings it to the preset's level, limits its peaks and
                (acx) puts room tone at the head and tail. For acx, a background between phrases that would stay above
                -70 dB after gain is turned down by a gentle expander (at most 20 dB; not for backgrounds above -48 dB
                after gain, which need denoising). Then reads the written file back and checks it.

                  --preset acx       ACX audiobook: RMS -23..-18 dB (aims at -20), peak <= -3 dBFS, noise floor <= -60 dB
                                     (quietest 0.5 s, and the programme's background between words),
                                     0.5-1 s room tone at the head, 1-5 s at the tail. ACX wants 192 kbps CBR MP3 at 44.1 kHz:
                                     use --out chapter.mp3.
                  --preset podcast   -16 LUFS integrated (+-1 LU), true peak <= -1 dBTP.
                  --out OUT          file to write; the format follows its extension (.wav .flac .mp3 .m4b .m4a)
                  --format FORMAT    wav16 | wav24 | flac | flac24 | mp3 | m4b | m4a (M4B/M4A need ffmpeg)

                IN may be WAV, FLAC or MP3 (OGG and M4A when ffmpeg is installed).
                Exit status: 0 written and compliant, 1 error or written but still failing the preset, 2 usage error.""";
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(Set.of("preset", "out", "format"));
        if (args.positionals().size() != 1) throw new Args.UsageException("give exactly one input file");
        Path in = Path.of(args.positionals().getFirst());
        MasteringPreset preset = CheckCommand.preset(args.require("preset"));
        Path out = args.path("out");
        if (out == null) throw new Args.UsageException("missing required option --out");
        AudioExporter.Format format;
        try {
            format = args.has("format") ? AudioExporter.Format.parse(args.get("format")) : AudioExporter.Format.forFile(out);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (out.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize()))
            throw new Args.UsageException("--out must differ from the input file");

        AudioClip clip = AudioReader.read(in);
        Mastering.Result m = Mastering.master(clip, preset, in.getFileName().toString());
        new AudioExporter().export(m.audio(), out, format);
        System.out.printf("wrote %s (%s, gain %+.1f dB)%n", out, format.name().toLowerCase(java.util.Locale.ROOT), m.gainDb());
        for (String n : m.notes()) System.out.println("  note: " + n);
        if (preset == MasteringPreset.ACX && format != AudioExporter.Format.MP3)
            System.out.println("  note: ACX accepts 192 kbps CBR MP3 at 44.1 kHz; write a .mp3 for submission");

        ComplianceReport delivered = preset.check(out.getFileName().toString(), AudioReader.read(out), org.higgsnarrator.audio.AudioOptions.DEFAULTS);
        System.out.print(delivered.format());
        return delivered.passed() ? 0 : 1;
    }
}
