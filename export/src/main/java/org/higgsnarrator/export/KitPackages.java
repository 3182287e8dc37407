package org.higgsnarrator.export;

import org.higgsnarrator.pkg.Precision;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.higgsnarrator.checkpoint.CheckpointConfigReader.Layout;
import org.higgsnarrator.pkg.ModelPackage;
import org.higgsnarrator.tensors.SafeTensorsFile;
import org.higgsnarrator.tensors.TensorInfo;

/**
 * Model packages of a conformance kit's tiny model, converted once per (layout, precision) into a work folder and
 * reused. The kit ships the transformers layout as config + key map only; its checkpoint is rebuilt here by
 * renaming the official tensors per {@code hf_to_boson_keys.json}.
 */
public final class KitPackages {
    private KitPackages() {}

    /** The package folder for this layout and precision, exporting it first unless a valid one is cached. */
    public static Path ensure(Path kitTiny, Path tokenizer, Layout layout, Precision precision, Path workDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work folder " + workDir, e);
        }
        Path out = workDir.resolve("tiny-" + layout.name().toLowerCase() + "-" + precision.id());
        Path stamp = workDir.resolve(out.getFileName() + ".revision");
        String revision = Integer.toString(HiggsGraphs.REVISION);
        if (org.higgsnarrator.pkg.PackageManifest.isPackage(out) && Files.exists(stamp)) {
            try {
                ModelPackage.open(out, false);
                if (Files.readString(stamp).strip().equals(revision)) return out;
            } catch (IOException | RuntimeException stale) {
                // re-export below
            }
        }
        Path ckpt = layout == Layout.OFFICIAL ? kitTiny.resolve("model") : transformersCheckpoint(kitTiny, workDir.resolve("tiny-model-hf-checkpoint"));
        ExportOptions opt = ExportOptions.defaults().withPrecision(precision).withMaxContext(4096).withName("tiny (" + layout.name().toLowerCase() + ")", true).withOverwrite(true);
        Exporter.export(ckpt, tokenizer, out, opt, List.of(), Exporter.Progress.SILENT);
        try {
            Files.writeString(stamp, revision);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes the official tiny tensors under their transformers names beside the kit's model-hf config (once). */
    public static Path transformersCheckpoint(Path kitTiny, Path dest) {
        Path st = dest.resolve("model.safetensors");
        if (Files.exists(st) && Files.exists(dest.resolve("config.json"))) return dest;
        try {
            Files.createDirectories(dest);
            Path hf = kitTiny.resolve("model-hf");
            JsonObject map = JsonParser.parseString(Files.readString(hf.resolve("hf_to_boson_keys.json"))).getAsJsonObject();
            try (SafeTensorsFile src = SafeTensorsFile.open(kitTiny.resolve("model/model.safetensors"))) {
                List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
                for (var e : map.entrySet()) {
                    TensorInfo t = src.info(e.getValue().getAsString());
                    entries.add(new SafeTensorsWriter.Entry(e.getKey(), t.dtype(), t.shape(), SafeTensorsWriter.Data.of(src.bytes(t.name()))));
                }
                Path tmp = dest.resolve("model.safetensors.partial");
                SafeTensorsWriter.write(tmp, entries, Map.of("format", "pt"));
                Files.copy(hf.resolve("config.json"), dest.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, st, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return dest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
