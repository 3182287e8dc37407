package org.higgsnarrator.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * An opened model package folder: its manifest, checked against the files beside it (every listed file present with
 * its recorded size; optionally its sha256). Nothing is loaded; sessions come from {@code runtime}.
 */
public record ModelPackage(Path dir, PackageManifest manifest) {
    /** Opens and validates a package; {@code verifyHashes} also recomputes every file's sha256 (slow for big models). */
    public static ModelPackage open(Path dir, boolean verifyHashes) {
        Path mf = dir.resolve(PackageManifest.FILE_NAME);
        PackageManifest m = PackageManifest.read(dir);
        if (m.model() == null || m.graphs() == null || m.files() == null) {
            throw new PackageException(mf + ": manifest lacks model/graphs/files; export the package again");
        }
        for (GraphIo.Role role : new GraphIo.Role[] {GraphIo.Role.PREFILL, GraphIo.Role.DECODE_STEP}) {
            PackageManifest.GraphSpec g = m.graphs().get(role.id());
            if (g == null) throw new PackageException(mf + ": no '" + role + "' graph; export the package again");
            if (!m.files().containsKey(g.file())) throw new PackageException(mf + ": graph file " + g.file() + " is not listed in files");
        }
        for (Map.Entry<String, PackageManifest.FileEntry> e : m.files().entrySet()) {
            Path f = dir.resolve(e.getKey()).normalize();
            if (!f.startsWith(dir.normalize())) throw new PackageException(mf + ": file entry '" + e.getKey() + "' points outside the package");
            long size;
            try {
                size = Files.size(f);
            } catch (IOException ex) {
                throw new PackageException(dir + ": file " + e.getKey() + " listed in the manifest is missing; copy the whole package folder again");
            }
            if (size != e.getValue().size()) {
                throw new PackageException(dir + ": file " + e.getKey() + " has " + size + " bytes but the manifest says " + e.getValue().size()
                        + " — it is truncated or from another export; copy or export the package again");
            }
            if (verifyHashes && !sha256(f).equalsIgnoreCase(e.getValue().sha256())) {
                throw new PackageException(dir + ": file " + e.getKey() + " does not match its sha256 in the manifest — it is damaged; copy or export the package again");
            }
        }
        return new ModelPackage(dir, m);
    }

    public Path graphFile(GraphIo.Role role) {
        PackageManifest.GraphSpec g = manifest.graphs().get(role.id());
        if (g == null) throw new PackageException(dir + ": the package has no '" + role + "' graph");
        return dir.resolve(g.file());
    }

    /** Element type of the KV cache, as the package's I/O table declares the prefill graph's past inputs. */
    public ElementType kvType() {
        return manifest.graphs().get(GraphIo.Role.PREFILL.id()).inputs().stream().filter(t -> GraphIo.isPast(t.name()))
                .findFirst().map(PackageManifest.TensorSpec::dtype).orElse(ElementType.FLOAT32);
    }

    public Path tokenizerFile() {
        return manifest.tokenizer() == null ? null : dir.resolve(manifest.tokenizer());
    }

    static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new PackageException(f + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A package that cannot be used as it is; the message says what to do. */
    public static final class PackageException extends RuntimeException {
        public PackageException(String message) {
            super(message);
        }

        public PackageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
