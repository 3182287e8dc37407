package org.higgsnarrator.models;

import org.higgsnarrator.pkg.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.higgsnarrator.config.ModelConfig;
import org.higgsnarrator.pkg.PackageManifest;

/**
 * The installed model packages: one folder each (holding {@code manifest.json}) under {@link ModelsOptions#modelsRoot()},
 * plus the read-only packages bundled with the application under {@code <appHome>/onnx-models/}.
 * Folders whose names start with a dot are work in progress (imports, removals) and never listed.
 */
public final class ModelStore {
    public static final String BUNDLED_DIR = "onnx-models";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final ModelsOptions options;

    public ModelStore(ModelsOptions options) {
        this.options = options;
    }

    public Path root() {
        return options.modelsRoot();
    }

    /**
     * One package as listed.
     *
     * @param id        its folder name (what commands take)
     * @param manifest  null when the manifest cannot be read; then {@code problem} says why
     * @param sizeBytes all files in the folder, as on disk
     */
    public record Entry(String id, Path dir, boolean bundled, PackageManifest manifest, long sizeBytes, String problem) {
        public String name() {
            return manifest == null || manifest.name() == null ? id : manifest.name();
        }

        /** What the package was converted from (the hub repository and commit when it was downloaded); null if unknown. */
        public String source() {
            return manifest == null ? null : manifest.source();
        }

        /** Null when the manifest is unreadable or names no precision. */
        public Precision precision() {
            return manifest == null ? null : manifest.precision();
        }

        /** The precision as listed: fp32, fp16, int8, int4, int8-fp16, int4-fp16, or "?" when unknown. */
        public String precisionName() {
            return precision() == null ? "?" : precision().id();
        }

        public boolean randomWeights() {
            return manifest != null && manifest.randomWeights();
        }
    }

    /** Bundled packages first, then the user's, each sorted by folder name. */
    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (options.appHome() != null) out.addAll(scan(options.appHome().resolve(BUNDLED_DIR), true));
        out.addAll(scan(root(), false));
        return out;
    }

    private static List<Entry> scan(Path dir, boolean bundled) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dir)) {
            dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        List<Entry> out = new ArrayList<>();
        for (Path d : dirs) {
            if (!PackageManifest.isPackage(d)) continue;
            out.add(entry(d, bundled));
        }
        return out;
    }

    private static Entry entry(Path d, boolean bundled) throws IOException {
        PackageManifest m = null;
        String problem = null;
        try {
            m = readManifest(d);
        } catch (PackageIntegrityException e) {
            problem = e.getMessage();
        }
        return new Entry(d.getFileName().toString(), d, bundled, m, folderSize(d), problem);
    }

    /** Finds a package by folder name, else by manifest name; the error lists what is installed. */
    public Entry find(String idOrName) throws IOException {
        List<Entry> all = list();
        List<Entry> hits = all.stream().filter(e -> e.id().equals(idOrName)).toList();
        if (hits.isEmpty()) hits = all.stream().filter(e -> e.name().equals(idOrName)).toList();
        if (hits.size() == 1) return hits.getFirst();
        String installed = all.isEmpty() ? "none" : String.join(", ", all.stream().map(Entry::id).toList());
        if (hits.isEmpty()) {
            throw new IllegalArgumentException("no model package '" + idOrName + "' (installed: " + installed + "; models folder " + root() + ")");
        }
        throw new IllegalArgumentException("'" + idOrName + "' matches several packages (" + String.join(", ", hits.stream().map(e -> e.dir().toString()).toList())
                + "); use the folder name");
    }

    public static PackageManifest readManifest(Path dir) {
        Path f = dir.resolve(PackageManifest.FILE_NAME);
        PackageManifest m;
        try {
            m = PackageManifest.read(dir);
        } catch (org.higgsnarrator.pkg.ModelPackage.PackageException e) {
            throw new PackageIntegrityException(e.getMessage());
        }
        if (m.files() == null || m.files().isEmpty()) {
            throw new PackageIntegrityException(f + ": lists no files (field \"files\"), so the package cannot be verified; re-import it");
        }
        return m;
    }

    /** What {@link #verify} found. */
    public record VerifyReport(Path dir, int files, long bytes, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks every file of the manifest: present, the recorded size, the recorded sha256. Reads every byte (a 3B int4
     * package is ~3 GB: seconds to tens of seconds). Does not throw on a mismatch; see {@link #requireIntact}.
     */
    public static VerifyReport verify(Path dir, ProgressListener progress) throws IOException {
        PackageManifest m = readManifest(dir);
        long total = m.files().values().stream().mapToLong(PackageManifest.FileEntry::size).sum();
        AtomicLong done = new AtomicLong();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, PackageManifest.FileEntry> e : new java.util.TreeMap<>(m.files()).entrySet()) {
            String rel = e.getKey();
            PackageManifest.FileEntry want = e.getValue();
            Path f = dir.resolve(rel).normalize();
            if (!f.startsWith(dir.normalize()) || rel.isBlank()) {
                problems.add(rel + ": path leaves the package folder; the manifest is damaged or not trustworthy");
                continue;
            }
            if (!Files.isRegularFile(f)) {
                problems.add(rel + ": missing (the manifest lists it); re-import the package");
                continue;
            }
            long size = Files.size(f);
            if (size != want.size()) {
                problems.add(rel + ": " + size + " bytes, the manifest says " + want.size() + " (truncated or replaced); re-import the package");
                done.addAndGet(want.size());
                continue;
            }
            String got = Digests.sha256(f, n -> progress.update("verify " + rel, done.addAndGet(n), total));
            if (want.sha256() == null || !got.equalsIgnoreCase(want.sha256())) {
                problems.add(rel + ": sha256 " + got + " does not match the manifest's " + want.sha256()
                        + " (the file is corrupt or was modified); re-import the package");
            }
        }
        progress.update("verify", total, total);
        return new VerifyReport(dir, m.files().size(), total, List.copyOf(problems));
    }

    /** Verifies and refuses a damaged package with a message naming each bad file. */
    public static void requireIntact(Path dir, ProgressListener progress) throws IOException {
        VerifyReport r = verify(dir, progress);
        if (!r.ok()) {
            throw new PackageIntegrityException("model package " + dir + " failed verification:\n  " + String.join("\n  ", r.problems()));
        }
    }

    /** Deletes an installed package. The bundled ones belong to the application and are refused. */
    public void remove(String idOrName) throws IOException {
        Entry e = find(idOrName);
        if (e.bundled()) {
            throw new IllegalArgumentException("'" + e.id() + "' is bundled with the application (" + e.dir() + ") and cannot be removed");
        }
        if (!e.dir().toAbsolutePath().normalize().startsWith(root().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(e.dir() + " is outside the models folder " + root() + "; not removing it");
        }
        // Rename first so a half-deleted package is never listed (dot folders are skipped) if deletion is interrupted.
        Path trash = root().resolve(".removing-" + e.id() + "-" + System.nanoTime());
        Files.move(e.dir(), trash, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(trash);
    }

    // ---------------------------------------------------------------------------------------------------- import

    /** What to convert. {@code name} null → derived from the checkpoint folder and the precision. */
    public record ImportRequest(Path checkpointDir, Path codecDir, Path tokenizer, Precision precision, String name) {}

    /**
     * A checked import: the request with its resolved name and target, estimates for every precision and the space
     * available. {@code blockers} are reasons it cannot proceed (missing files, target exists, disk too small).
     */
    public record ImportPlan(ImportRequest request, String name, Path target, Map<Precision, ResourceEstimator.Estimate> estimates,
                             long freeDiskBytes, List<String> blockers) {
        public ResourceEstimator.Estimate chosen() {
            return estimates.get(request.precision());
        }
    }

    /**
     * Checks the inputs and estimates the package before any work is done.
     *
     * @param model           the generation model's configuration, read from {@code checkpointDir/config.json} (by the
     *                        converter's {@code ModelInstaller}: checkpoints are read there, not here)
     * @param codecParameters the audio tokenizer's parameter count (for the estimates)
     */
    public ImportPlan planImport(ImportRequest r, ModelConfig model, long codecParameters) throws IOException {
        List<String> blockers = new ArrayList<>();
        requireFile(r.checkpointDir().resolve("config.json"), "the generation model's config", blockers);
        requireFile(r.codecDir().resolve("config.json"), "the audio tokenizer's config", blockers);
        requireFile(r.tokenizer(), "the text tokenizer (tokenizer.json)", blockers);
        String name = r.name() != null ? r.name() : defaultName(r.checkpointDir(), r.precision());
        if (!NAME.matcher(name).matches()) {
            blockers.add("package name '" + name + "' must be 1–100 letters, digits, '.', '_' or '-' (starting with a letter or digit)");
        }
        Path target = root().resolve(name);
        if (Files.exists(target)) blockers.add(target + " already exists; remove it first (`./narrator models remove " + name + "`) or pick another --name");
        long tokenizerBytes = Files.isRegularFile(r.tokenizer()) ? Files.size(r.tokenizer()) : 0;
        Map<Precision, ResourceEstimator.Estimate> est = ResourceEstimator.estimateAll(model, codecParameters, tokenizerBytes, options.contextTokens());
        long free = usableSpace(root());
        long need = est.get(r.precision()).diskBytes();
        if (free >= 0 && free < need) {
            blockers.add("not enough disk space in " + root() + ": the " + r.precision() + " package needs about " + Digests.human(need)
                    + ", " + Digests.human(free) + " is free; free space, choose a smaller precision, or set another models folder");
        }
        return new ImportPlan(r, name, target, est, free, List.copyOf(blockers));
    }

    /**
     * Converts into a temporary folder beside the target, verifies the result against its own manifest and moves it
     * into place. Nothing is installed unless all of that succeeds.
     */
    public Entry importPackage(ImportPlan plan, PackageConverter converter, ProgressListener progress) throws IOException {
        if (!plan.blockers().isEmpty()) throw new IllegalStateException("cannot import:\n  " + String.join("\n  ", plan.blockers()));
        Files.createDirectories(root());
        Path tmp = Files.createTempDirectory(root(), ".import-" + plan.name() + "-");
        try {
            ImportRequest r = plan.request();
            converter.convert(r.checkpointDir(), r.codecDir(), r.tokenizer(), tmp, r.precision(), plan.name(), progress);
            PackageManifest m;
            try {
                m = readManifest(tmp);
            } catch (PackageIntegrityException e) {
                throw new PackageIntegrityException("the converter produced no usable package: " + e.getMessage());
            }
            if (m.precision() != null && m.precision() != r.precision()) {
                throw new PackageIntegrityException("the converter wrote a " + m.precision() + " package, " + r.precision() + " was asked for");
            }
            requireIntact(tmp, progress);
            try {
                Files.move(tmp, plan.target(), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move the converted package to " + plan.target() + " (" + e + ")", e);
            }
            return entry(plan.target(), false);
        } finally {
            if (Files.exists(tmp)) deleteTree(tmp);
        }
    }

    static String defaultName(Path checkpointDir, Precision p) {
        Path fn = checkpointDir.toAbsolutePath().normalize().getFileName();
        String base = fn == null ? "model" : fn.toString().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (base.isEmpty()) base = "model";
        if (base.length() > 90) base = base.substring(0, 90);
        return base + "-" + p.id();
    }


    private static void requireFile(Path f, String what, List<String> blockers) {
        if (!Files.isRegularFile(f)) blockers.add(f + " not found (" + what + ")");
    }

    /** Usable bytes on the disk that holds {@code dir} (or its nearest existing parent); -1 if unknown. */
    static long usableSpace(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) p = p.getParent();
        try {
            return p == null ? -1 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    static long folderSize(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) return;
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
