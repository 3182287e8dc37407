package org.higgsnarrator.models;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a repository from a Hugging Face compatible hub with {@link HttpClient}:
 * <ul>
 *   <li>the revision ({@code main} unless told) is first resolved to its commit ({@code GET
 *       /api/models/{repo}/revision/{rev}}, {@code sha}); listing and files then use that commit, and the folder gets a
 *       {@link #SOURCE_FILE} naming repo and commit, which the converter records in the package manifest;</li>
 *   <li>files are listed with {@code GET /api/models/{repo}/tree/{rev}?recursive=true} (following {@code Link: rel="next"}
 *       pages), or — for mirrors without the tree API — the {@code siblings} of {@code GET /api/models/{repo}?blobs=true};</li>
 *   <li>each file comes from {@code GET /{repo}/resolve/{rev}/{path}} into {@code path.part}; a broken transfer resumes
 *       with {@code Range: bytes=N-} (also in a later run); a transfer silent for {@link ModelsOptions#stallTimeout()} is
 *       broken off and resumed;</li>
 *   <li>a finished file is checked before it is moved into place: LFS files against the sha256 the hub lists
 *       ({@code lfs.oid} / {@code lfs.sha256}, else an {@code X-Linked-Etag}/{@code ETag} that is a sha256), plain git
 *       files against their git blob id, else by size; a mismatch deletes the partial file and fails naming it;</li>
 *   <li>up to {@link ModelsOptions#parallelDownloads()} files at once (shards of a large model download side by side).</li>
 * </ul>
 */
public final class HubClient {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int BUFFER = 256 * 1024;

    private final ModelsOptions options;
    private final HttpClient http;

    public HubClient(ModelsOptions options) {
        this.options = options;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL) // /resolve/ answers 302 to a CDN
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * A file of the repository.
     *
     * @param size   bytes; -1 when the listing gave none
     * @param sha256 content sha256 for LFS files, else null
     * @param gitOid git blob id for files kept in plain git, else null
     */
    public record HubFile(String path, long size, String sha256, String gitOid) {}

    /**
     * @param bytesDone      bytes present (already there, resumed or downloaded) of {@code bytesTotal}
     * @param bytesPerSecond transfer rate over the last few seconds
     * @param etaSeconds     remaining time at that rate; NaN when unknown
     * @param active         files being transferred now
     */
    public record DownloadProgress(long bytesDone, long bytesTotal, int filesDone, int filesTotal, double bytesPerSecond,
                                   double etaSeconds, List<String> active) {}

    /** @param bytesTransferred bytes that came over the network in this run (resumed and skipped files excluded) */
    /**
     * @param commit the commit the files were taken from (the revision resolved before downloading); null when the hub
     *               cannot resolve revisions (a mirror without the revision API): the files are then the revision's
     *               at the time of each request
     */
    public record DownloadResult(Path dir, List<HubFile> files, long bytesTransferred, String repo, String commit) {}

    /** Where a downloaded folder came from, as {@link #download} writes it beside the files ({@link #SOURCE_FILE}). */
    public record Source(String repo, String revision, String commit) {
        /** {@code owner/name@commit} (or {@code @revision} when no commit is known). */
        public String label() {
            return repo + "@" + (commit != null ? commit : revision);
        }
    }

    /** The file {@link #download} writes into its folder: repo, asked revision, resolved commit. */
    public static final String SOURCE_FILE = ".narrator-source.json";

    /**
     * What a model download needs when the caller names no patterns: configs, weights (safetensors shards and index,
     * the audio tokenizer's model.pth), the tokenizer, the chat template — not READMEs, images or other formats.
     */
    public static final List<String> DEFAULT_INCLUDE = List.of("*.json", "*.safetensors", "*.pth", "*.jinja", "*.txt");

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /**
     * The commit a revision (branch, tag or commit) names now: {@code GET /api/models/{repo}/revision/{rev}}, its
     * {@code sha}. Downloads then fetch that commit only, so a repository updated halfway through a download cannot
     * mix two versions, and the package can record what it was made from.
     *
     * @return the 40-hex commit, or null when the hub's answer has no {@code sha} (a mirror without revisions)
     */
    public String resolveCommit(String repo, String revision) throws IOException, InterruptedException {
        checkRepo(repo);
        if (COMMIT.matcher(revision).matches()) return revision;
        URI uri = api("/api/models/" + repo + "/revision/" + segment(revision));
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).GET(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            throw new HubException("repository '" + repo + "' not found on " + options.hubEndpoint() + " (or it has no revision '" + revision + "')"
                    + " — check the id (owner/name, e.g. bosonai/higgs-audio-v2-generation-3B-base) and the revision;"
                    + " a private or gated repository also answers 404 without a token (set HF_TOKEN or log in with huggingface-cli)");
        }
        requireOk(r, "resolve the revision '" + revision + "' of " + repo);
        String sha = str(parseJson(r.body(), uri).getAsJsonObject(), "sha");
        return sha != null && COMMIT.matcher(sha).matches() ? sha : null;
    }

    // ---------------------------------------------------------------------------------------------------- listing

    public List<HubFile> listFiles(String repo, String revision) throws IOException, InterruptedException {
        checkRepo(repo);
        List<HubFile> out = new ArrayList<>();
        URI next = api("/api/models/" + repo + "/tree/" + segment(revision) + "?recursive=true");
        while (next != null) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(next).GET(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) return listFromSiblings(repo, revision);
            requireOk(r, "list the files of " + repo);
            JsonArray arr = parseJson(r.body(), next).getAsJsonArray();
            for (JsonElement e : arr) {
                JsonObject o = e.getAsJsonObject();
                if (!"file".equals(str(o, "type"))) continue;
                out.add(file(str(o, "path"), o, str(o, "oid")));
            }
            next = r.headers().firstValue("Link").map(HubClient::nextLink).map(u -> next(u)).orElse(null);
        }
        return out;
    }

    private URI next(String link) {
        URI u = URI.create(link);
        return u.isAbsolute() ? u : api(link);
    }

    /** Hubs without the tree API, and telling "no such repository" from "no such revision". */
    private List<HubFile> listFromSiblings(String repo, String revision) throws IOException, InterruptedException {
        String path = "/api/models/" + repo + ("main".equals(revision) ? "" : "/revision/" + segment(revision)) + "?blobs=true";
        HttpResponse<String> r = send(HttpRequest.newBuilder(api(path)).GET(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            throw new HubException("repository '" + repo + "'" + ("main".equals(revision) ? "" : " (revision '" + revision + "')")
                    + " not found on " + options.hubEndpoint() + " — check the id (owner/name, e.g. bosonai/higgs-audio-v2-generation-3B-base)"
                    + " and the revision; a private or gated repository also answers 404 without a token (set HF_TOKEN)");
        }
        requireOk(r, "list the files of " + repo);
        JsonObject root = parseJson(r.body(), r.uri()).getAsJsonObject();
        JsonArray siblings = root.getAsJsonArray("siblings");
        if (siblings == null) throw new HubException(r.uri() + ": the answer has no \"siblings\" list; is " + options.hubEndpoint() + " a Hugging Face compatible hub?");
        List<HubFile> out = new ArrayList<>();
        for (JsonElement e : siblings) {
            JsonObject o = e.getAsJsonObject();
            out.add(file(str(o, "rfilename"), o, str(o, "blobId")));
        }
        return out;
    }

    private static HubFile file(String path, JsonObject o, String gitOid) throws HubException {
        if (path == null || path.isBlank()) throw new HubException("the hub listed a file without a path");
        JsonObject lfs = o.has("lfs") && o.get("lfs").isJsonObject() ? o.getAsJsonObject("lfs") : null;
        long size = o.has("size") ? o.get("size").getAsLong() : lfs != null && lfs.has("size") ? lfs.get("size").getAsLong() : -1;
        if (lfs != null) {
            String sha = Optional.ofNullable(str(lfs, "sha256")).orElse(str(lfs, "oid"));
            return new HubFile(path, size, sha == null ? null : sha.toLowerCase(java.util.Locale.ROOT), null);
        }
        return new HubFile(path, size, null, gitOid);
    }

    // ---------------------------------------------------------------------------------------------------- download

    /**
     * Downloads every file {@code include} accepts (by repository path) into {@code dest}, resuming what an earlier
     * run left. Throws after all files were tried if any failed, naming each.
     */
    public DownloadResult download(String repo, String asked, Path dest, Predicate<String> include, Consumer<DownloadProgress> progress)
            throws IOException, InterruptedException {
        String commit = resolveCommit(repo, asked);
        String revision = commit != null ? commit : asked;
        List<HubFile> files = listFiles(repo, revision).stream().filter(f -> include.test(f.path()))
                .sorted(Comparator.comparingLong(HubFile::size).reversed()).toList(); // large shards start first
        if (files.isEmpty()) throw new HubException("nothing to download from " + repo + " (no file matched)");
        Files.createDirectories(dest);
        Meter meter = new Meter(files, progress);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-progress");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(10, options.progressInterval().toMillis());
        ticker.scheduleAtFixedRate(meter::tick, tick, tick, TimeUnit.MILLISECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelDownloads(), files.size()));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (HubFile f : files) jobs.add(pool.submit(() -> {
                fetch(repo, revision, f, dest, meter);
                return null;
            }));
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    jobs.get(i).get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    failures.add(files.get(i).path() + ": " + (c.getMessage() == null ? c.toString() : c.getMessage()));
                }
            }
            meter.tick();
            if (!failures.isEmpty()) {
                throw new HubException("download of " + repo + " incomplete (" + failures.size() + " of " + files.size() + " files failed; "
                        + "run the same command again to resume):\n  " + String.join("\n  ", failures));
            }
            JsonObject src = new JsonObject();
            src.addProperty("repo", repo);
            src.addProperty("revision", asked);
            if (commit != null) src.addProperty("commit", commit);
            org.higgsnarrator.io.AtomicFiles.writeString(dest.resolve(SOURCE_FILE), src.toString());
            return new DownloadResult(dest, files, meter.transferred.get(), repo, commit);
        } finally {
            pool.shutdownNow();
            ticker.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void fetch(String repo, String revision, HubFile f, Path dest, Meter meter) throws IOException, InterruptedException {
        Path target = dest.resolve(f.path()).normalize();
        if (!target.startsWith(dest.normalize())) throw new HubException("refusing a file path that leaves the download folder: " + f.path());
        Files.createDirectories(target.getParent());
        if (Files.isRegularFile(target) && (f.size() < 0 || Files.size(target) == f.size()) && checksumProblem(f, target, null) == null) {
            meter.skipped(f);
            return;
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        URI uri = api("/" + repo + "/resolve/" + segment(revision) + "/" + pathSegments(f.path()));
        String headerSha = null;
        for (int attempt = 0; ; attempt++) {
            long have = Files.exists(part) ? Files.size(part) : 0;
            if (f.size() >= 0 && have > f.size()) {
                Files.delete(part);
                have = 0;
            }
            meter.resumed(f, have);
            try {
                if (f.size() < 0 || have < f.size()) headerSha = Optional.ofNullable(transfer(uri, f, part, have, meter)).orElse(headerSha);
                long got = Files.size(part);
                if (f.size() >= 0 && got != f.size()) throw new IOException("transfer ended at " + got + " of " + f.size() + " bytes");
                break;
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= options.downloadRetries()) {
                    throw new IOException("transfer broken off (" + e.getMessage() + "); " + Files.size(part) + " bytes kept in " + part + " to resume", e);
                }
                Thread.sleep(Math.min(500L * (attempt + 1), 5000));
            } finally {
                meter.finishedAttempt(f);
            }
        }
        String problem = checksumProblem(f, part, headerSha);
        if (problem != null) {
            Files.deleteIfExists(part);
            throw new HubException(problem + "; the partial file was deleted — run the download again");
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        meter.fileDone();
    }

    /** One HTTP request appending to {@code part} from byte {@code have}; returns a sha256 named by the headers, if any. */
    private String transfer(URI uri, HubFile f, Path part, long have, Meter meter) throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).GET();
        if (have > 0) rb.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> r = send(rb, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            int status = r.statusCode();
            boolean append;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
                append = m.matches() && Long.parseLong(m.group(1)) == have;
                if (!append) throw new IOException("the server resumed at the wrong offset (" + r.headers().firstValue("Content-Range").orElse("no Content-Range") + ")");
            } else if (status == 200) {
                append = false; // server ignored the range: start over
                if (have > 0) meter.resumed(f, 0);
            } else if (status == 416) {
                Files.deleteIfExists(part); // our partial file does not fit the remote one
                throw new IOException("the server refused to resume (416); starting the file again");
            } else if (status == 404) {
                throw new HubException(uri + ": not found (404) although the listing has it — the revision may have changed; run again");
            } else if (status == 401 || status == 403) {
                throw new HubException(uri + ": access denied (" + status + ") — accept the model's terms on the hub and set HF_TOKEN");
            } else {
                throw new IOException(uri + ": HTTP " + status);
            }
            Transfer t = meter.start(f, in);
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    t.add(n);
                }
            } catch (IOException e) {
                if (t.stalled) throw new IOException("no data for " + options.stallTimeout().toSeconds() + " s", e);
                throw e;
            }
            return r.headers().firstValue("X-Linked-Etag").or(() -> r.headers().firstValue("ETag"))
                    .map(v -> v.replaceFirst("^W/", "").replace("\"", "").toLowerCase(java.util.Locale.ROOT))
                    .filter(v -> SHA256.matcher(v).matches()).orElse(null);
        }
    }

    /** Null when {@code file} matches what the hub says about {@code f}; else a message naming the file. */
    private static String checksumProblem(HubFile f, Path file, String headerSha) throws IOException {
        long size = Files.size(file);
        if (f.size() >= 0 && size != f.size()) return f.path() + ": " + size + " bytes, the hub lists " + f.size();
        String want = f.sha256() != null ? f.sha256() : headerSha;
        if (want != null) {
            String got = Digests.sha256(file, null);
            return got.equalsIgnoreCase(want) ? null : f.path() + ": sha256 " + got + " does not match the hub's " + want + " (corrupted in transfer?)";
        }
        if (f.gitOid() != null && f.gitOid().length() == 40) {
            String got = Digests.gitBlobSha1(file);
            return got.equalsIgnoreCase(f.gitOid()) ? null : f.path() + ": git blob id " + got + " does not match the hub's " + f.gitOid();
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------- progress

    /** One running transfer: its stream (closed by the watchdog when stalled) and its last sign of life. */
    private static final class Transfer {
        final HubFile file;
        final InputStream in;
        final Meter meter;
        volatile long lastNanos = System.nanoTime();
        volatile boolean stalled;

        Transfer(HubFile file, InputStream in, Meter meter) {
            this.file = file;
            this.in = in;
            this.meter = meter;
        }

        void add(int n) {
            lastNanos = System.nanoTime();
            meter.transferred.addAndGet(n);
            meter.perFile.merge(file.path(), (long) n, Long::sum);
        }
    }

    private final class Meter {
        final long total;
        final int filesTotal;
        final Consumer<DownloadProgress> sink;
        final AtomicLong transferred = new AtomicLong();
        final Map<String, Long> perFile = new ConcurrentHashMap<>(); // bytes present per file
        final Map<String, Transfer> active = new ConcurrentHashMap<>();
        final AtomicInteger filesDone = new AtomicInteger();
        final ArrayDeque<long[]> window = new ArrayDeque<>(); // (nanos, transferred), last few seconds

        Meter(List<HubFile> files, Consumer<DownloadProgress> sink) {
            this.total = files.stream().mapToLong(f -> Math.max(0, f.size())).sum();
            this.filesTotal = files.size();
            this.sink = sink;
        }

        void skipped(HubFile f) {
            perFile.put(f.path(), Math.max(0, f.size()));
            fileDone();
        }

        void resumed(HubFile f, long have) {
            perFile.put(f.path(), have);
        }

        Transfer start(HubFile f, InputStream in) {
            Transfer t = new Transfer(f, in, this);
            active.put(f.path(), t);
            return t;
        }

        void finishedAttempt(HubFile f) {
            active.remove(f.path());
        }

        void fileDone() {
            filesDone.incrementAndGet();
        }

        /** Reports progress and breaks off stalled transfers; runs on the ticker thread. */
        synchronized void tick() {
            long now = System.nanoTime();
            for (Transfer t : active.values()) {
                if (now - t.lastNanos > options.stallTimeout().toNanos() && !t.stalled) {
                    t.stalled = true;
                    try {
                        t.in.close();
                    } catch (IOException ignored) {
                        // the reading thread sees the failure and resumes
                    }
                }
            }
            long moved = transferred.get();
            window.addLast(new long[] {now, moved});
            while (window.size() > 2 && now - window.peekFirst()[0] > 5_000_000_000L) window.removeFirst();
            long[] first = window.peekFirst();
            double secs = (now - first[0]) / 1e9;
            double bps = secs > 0 ? (moved - first[1]) / secs : 0;
            long done = perFile.values().stream().mapToLong(Long::longValue).sum();
            double eta = bps > 0 ? Math.max(0, total - done) / bps : Double.NaN;
            if (sink != null) {
                sink.accept(new DownloadProgress(done, total, filesDone.get(), filesTotal, bps, eta, active.keySet().stream().sorted().toList()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- HTTP

    private <T> HttpResponse<T> send(HttpRequest.Builder rb, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        rb.header("User-Agent", "higgs-narrator/0.1");
        if (options.hubToken() != null) rb.header("Authorization", "Bearer " + options.hubToken());
        try {
            return http.send(rb.build(), handler);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + options.hubEndpoint() + " (" + e.getMessage() + ") — check the network or --endpoint", e);
        }
    }

    private void requireOk(HttpResponse<?> r, String what) throws HubException {
        int s = r.statusCode();
        if (s == 200) return;
        if (s == 401 || s == 403) throw new HubException("cannot " + what + ": access denied (" + s + ") — the repository is private or gated; accept its terms on the hub and set HF_TOKEN");
        throw new HubException("cannot " + what + ": " + r.uri() + " answered HTTP " + s);
    }

    private static JsonElement parseJson(String body, URI from) throws HubException {
        try {
            return JsonParser.parseString(body);
        } catch (RuntimeException e) {
            throw new HubException(from + ": not JSON (" + e.getMessage() + ")");
        }
    }

    private URI api(String pathAndQuery) {
        String base = options.hubEndpoint().toString().replaceAll("/+$", "");
        return URI.create(base + pathAndQuery);
    }

    private static void checkRepo(String repo) throws HubException {
        if (repo == null || !REPO.matcher(repo).matches()) {
            throw new HubException("'" + repo + "' is not a repository id; use owner/name, e.g. bosonai/higgs-audio-v2-generation-3B-base");
        }
    }

    private static String nextLink(String header) {
        Matcher m = NEXT_LINK.matcher(header);
        return m.find() ? m.group(1) : null;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String pathSegments(String path) {
        return String.join("/", java.util.Arrays.stream(path.split("/")).map(HubClient::segment).toList());
    }

    private static String str(JsonObject o, String k) {
        return o.has(k) && !o.get(k).isJsonNull() ? o.get(k).getAsString() : null;
    }

    /** The source record {@link #download} left in {@code dir}; null if there is none (or it is unreadable). */
    public static Source readSource(Path dir) {
        Path f = dir.resolve(SOURCE_FILE);
        if (!Files.isRegularFile(f)) return null;
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            String repo = str(o, "repo");
            return repo == null ? null : new Source(repo, str(o, "revision"), str(o, "commit"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Include filter from glob patterns over repository paths ({@code *} within a folder, {@code **} across folders,
     * {@code ?} one character); a pattern without {@code /} matches file names in any folder. No patterns: everything.
     */
    public static Predicate<String> globs(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) return p -> true; // callers pass DEFAULT_INCLUDE for a model download
        List<Pattern> res = new ArrayList<>();
        for (String g : patterns) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < g.length(); i++) {
                char c = g.charAt(i);
                if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else if (c == '*') re.append("[^/]*");
                else if (c == '?') re.append("[^/]");
                else re.append(Pattern.quote(String.valueOf(c)));
            }
            res.add(Pattern.compile((g.contains("/") ? "" : "(?:.*/)?") + re));
        }
        return p -> res.stream().anyMatch(r -> r.matcher(p).matches());
    }
}
