package org.higgsnarrator.models;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face compatible hub on 127.0.0.1 (ephemeral port) serving one repository: the tree API (or only the
 * model API's siblings), {@code /resolve/} with Range support, and injectable faults (a connection cut after N
 * bytes, a stall, a wrong listed checksum). Started per test, stopped in {@link #close()}.
 */
final class FakeHub implements AutoCloseable {
    record File(byte[] content, boolean lfs) {}

    /** One request as received: path and Range header (null when none). */
    record Request(String path, String range) {}

    final String repo;
    final Map<String, File> files = new ConcurrentHashMap<>();
    final Map<String, String> listedSha = new ConcurrentHashMap<>();     // path → sha256 the listing claims (fault)
    final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();     // path → bytes sent before the connection drops
    final Map<String, Integer> cutTimes = new ConcurrentHashMap<>();     // path → how many requests get cut
    final Map<String, Integer> stallAfter = new ConcurrentHashMap<>();   // path → bytes sent before going silent (once)
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile boolean treeApi = true;
    /** The commit {@code main} points at; the revision API answers it as {@code sha} unless {@link #revisionSha} is off. */
    final String commit = "0123456789abcdef0123456789abcdef01234567";
    volatile boolean revisionSha = true;
    volatile boolean linkedEtag = false;
    final AtomicInteger activeDownloads = new AtomicInteger();
    final AtomicInteger maxActiveDownloads = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    FakeHub(String repo) throws IOException {
        this.repo = repo;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void put(String path, byte[] content, boolean lfs) {
        files.put(path, new File(content, lfs));
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add(new Request(path, ex.getRequestHeaders().getFirst("Range")));
            // main and its commit name the same files (as on the hub until the next push)
            String rev = path.contains("/" + commit) ? commit : "main";
            String tree = "/api/models/" + repo + "/tree/" + rev;
            String resolve = "/" + repo + "/resolve/" + rev + "/";
            if (path.equals(tree) && treeApi) {
                json(ex, 200, treeJson());
            } else if (path.equals("/api/models/" + repo) || path.equals("/api/models/" + repo + "/revision/" + rev)) {
                json(ex, 200, siblingsJson());
            } else if (path.startsWith(resolve) && files.containsKey(decode(path.substring(resolve.length())))) {
                download(ex, decode(path.substring(resolve.length())));
            } else {
                json(ex, 404, "{\"error\":\"Repository not found\"}");
            }
        }
    }

    private void download(HttpExchange ex, String name) throws IOException {
        int now = activeDownloads.incrementAndGet();
        maxActiveDownloads.accumulateAndGet(now, Math::max);
        try {
            byte[] c = files.get(name).content();
            int start = 0;
            String range = ex.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : Pattern.compile("bytes=(\\d+)-").matcher(range);
            if (m != null && m.matches()) start = Integer.parseInt(m.group(1));
            if (start > c.length) {
                ex.sendResponseHeaders(416, -1);
                return;
            }
            if (linkedEtag && files.get(name).lfs()) ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256(c) + "\"");
            if (start > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (c.length - 1) + "/" + c.length);
                ex.sendResponseHeaders(206, c.length - start);
            } else {
                ex.sendResponseHeaders(200, c.length);
            }
            OutputStream out = ex.getResponseBody();
            int remainingCuts = cutTimes.getOrDefault(name, 0);
            if (remainingCuts > 0 && cutAfter.containsKey(name)) {
                cutTimes.put(name, remainingCuts - 1);
                int n = Math.min(cutAfter.get(name), c.length - start);
                out.write(c, start, n);
                out.flush();
                throw new IOException("fake hub: connection cut after " + n + " bytes"); // the server drops the connection
            }
            Integer stall = stallAfter.remove(name);
            if (stall != null) {
                out.write(c, start, stall);
                out.flush();
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("fake hub: stalled");
            }
            out.write(c, start, c.length - start);
        } finally {
            activeDownloads.decrementAndGet();
        }
    }

    private String treeJson() {
        JsonArray arr = new JsonArray();
        JsonObject dir = new JsonObject();
        dir.addProperty("type", "directory");
        dir.addProperty("path", "sub");
        arr.add(dir);
        files.forEach((path, f) -> {
            JsonObject o = new JsonObject();
            o.addProperty("type", "file");
            o.addProperty("path", path);
            o.addProperty("size", f.content().length);
            o.addProperty("oid", gitBlobId(f.lfs() ? pointer(f.content()) : f.content()));
            if (f.lfs()) {
                JsonObject lfs = new JsonObject();
                lfs.addProperty("oid", listedSha.getOrDefault(path, sha256(f.content())));
                lfs.addProperty("size", f.content().length);
                lfs.addProperty("pointerSize", 134);
                o.add("lfs", lfs);
            }
            arr.add(o);
        });
        return arr.toString();
    }

    /** The model API without {@code blobs=true} detail: names only (as some mirrors answer). */
    private String siblingsJson() {
        JsonObject root = new JsonObject();
        root.addProperty("id", repo);
        if (revisionSha) root.addProperty("sha", commit);
        JsonArray s = new JsonArray();
        files.keySet().forEach(p -> {
            JsonObject o = new JsonObject();
            o.addProperty("rfilename", p);
            s.add(o);
        });
        root.add("siblings", s);
        return root.toString();
    }

    private static byte[] pointer(byte[] content) {
        return ("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256(content) + "\nsize " + content.length + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String sha256(byte[] b) {
        return digest("SHA-256", b, null);
    }

    static String gitBlobId(byte[] b) {
        return digest("SHA-1", b, ("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(String alg, byte[] b, byte[] prefix) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            if (prefix != null) md.update(prefix);
            return HexFormat.of().formatHex(md.digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
