package org.higgsnarrator.models;

import org.higgsnarrator.pkg.Precision;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Hook to the checkpoint → model package converter (the {@code export} module). The store calls it with an empty
 * temporary folder as {@code outDir}; the converter writes the package there (graphs, weights, tokenizer and a
 * {@code manifest.json} whose {@code files} lists every file with its size and sha256). The store then verifies the
 * checksums and moves the folder into place, so a failed or interrupted conversion never leaves a package behind.
 */
@FunctionalInterface
public interface PackageConverter {
    /**
     * @param checkpointDir the generation model (config.json + safetensors, either layout)
     * @param codecDir      the audio tokenizer (config.json + model.safetensors or model.pth)
     * @param tokenizer     the text tokenizer.json
     * @param outDir        empty folder to write the package into
     * @param precision     of the weight matrices
     * @param name          the package name for its manifest
     */
    void convert(Path checkpointDir, Path codecDir, Path tokenizer, Path outDir, Precision precision, String name,
                 ProgressListener progress) throws IOException;
}
