package org.higgsnarrator.export;

import java.nio.file.Path;
import java.util.List;
import org.higgsnarrator.pkg.Precision;
import org.higgsnarrator.models.ProgressListener;

/**
 * The export module as a {@link org.higgsnarrator.models.PackageConverter}: generation model + audio tokenizer +
 * text tokenizer → a package in {@code out}. One adapter for the CLI ({@code ./narrator models import}) and the
 * studio's Models dialog, so both convert the same way.
 */
public final class PackageConversion {
    private PackageConversion() {}

    /** Matches {@code PackageConverter#convert}; {@code codec} null → a package without the audio tokenizer. */
    public static void convert(Path ckpt, Path codec, Path tok, Path out, Precision p, String name, ProgressListener progress) {
        ExportOptions opt = ExportOptions.defaults()
                .withPrecision(p).withName(name, false).withOverwrite(true);
        List<Exporter.PackagePart> parts = codec == null ? List.of() : List.of(Exporter.codecPart(codec, opt));
        Exporter.export(ckpt, tok, out, opt, parts, progress::update);
    }
}
