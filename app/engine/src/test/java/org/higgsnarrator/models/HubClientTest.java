package org.higgsnarrator.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HubClientTest {
    static final String REPO = "acme/voice-3B";

    @TempDir Path tmp;
    FakeHub hub;
    byte[] shard1, shard2, config, nested;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub(REPO);
        Random rnd = new Random(42);
        shard1 = new byte[700_000];
        shard2 = new byte[500_123];
        nested = new byte[3_000];
        rnd.nextBytes(shard1);
        rnd.nextBytes(shard2);
        rnd.nextBytes(nested);
        config = "{\"model_type\": \"higgs_audio\"}\n".getBytes();
        hub.put("model-00001-of-00002.safetensors", shard1, true);
        hub.put("model-00002-of-00002.safetensors", shard2, true);
        hub.put("config.json", config, false);
        hub.put("sub/dir/weights bin.pt", nested, true);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubClient client(int parallel, int retries) {
        ModelsOptions o = ModelsOptions.defaults().withHub(hub.endpoint(), parallel, retries)
                .withTimings(Duration.ofSeconds(1), Duration.ofMillis(50));
        return new HubClient(o);
    }

    @Test
    void listsFilesWithSizesAndChecksums() throws Exception {
        List<HubClient.HubFile> files = client(2, 0).listFiles(REPO, "main");
        assertEquals(4, files.size(), files.toString());
        HubClient.HubFile s1 = files.stream().filter(f -> f.path().equals("model-00001-of-00002.safetensors")).findFirst().orElseThrow();
        assertEquals(shard1.length, s1.size());
        assertEquals(FakeHub.sha256(shard1), s1.sha256());
        HubClient.HubFile c = files.stream().filter(f -> f.path().equals("config.json")).findFirst().orElseThrow();
        assertEquals(FakeHub.gitBlobId(config), c.gitOid());
    }

    @Test
    void downloadsEveryFileInParallelWithProgress() throws Exception {
        List<HubClient.DownloadProgress> seen = new CopyOnWriteArrayList<>();
        Path dest = tmp.resolve("dl");
        HubClient.DownloadResult r = client(2, 0).download(REPO, "main", dest, p -> true, seen::add);
        assertArrayEquals(shard1, Files.readAllBytes(dest.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(shard2, Files.readAllBytes(dest.resolve("model-00002-of-00002.safetensors")));
        assertArrayEquals(config, Files.readAllBytes(dest.resolve("config.json")));
        assertArrayEquals(nested, Files.readAllBytes(dest.resolve("sub/dir/weights bin.pt")));
        long total = shard1.length + shard2.length + config.length + nested.length;
        assertEquals(total, r.bytesTransferred());
        assertTrue(hub.maxActiveDownloads.get() <= 2, "at most 2 transfers at once, saw " + hub.maxActiveDownloads.get());
        HubClient.DownloadProgress last = seen.getLast();
        assertEquals(total, last.bytesDone());
        assertEquals(total, last.bytesTotal());
        assertEquals(4, last.filesDone());
        try (var s = Files.walk(dest)) {
            assertFalse(s.anyMatch(p -> p.toString().endsWith(".part")), "no partial files left");
        }
        // A second run finds everything in place and transfers nothing.
        int before = hub.requests.size();
        assertEquals(0, client(2, 0).download(REPO, "main", dest, p -> true, null).bytesTransferred());
        assertTrue(hub.requests.subList(before, hub.requests.size()).stream().noneMatch(q -> q.path().contains("/resolve/")));
    }

    @Test
    void resumesAnInterruptedTransferWithARangeRequest() throws Exception {
        hub.cutAfter.put("model-00001-of-00002.safetensors", 200_000);
        hub.cutTimes.put("model-00001-of-00002.safetensors", 1);
        Path dest = tmp.resolve("dl");
        IOException e = assertThrows(IOException.class, () -> client(1, 0).download(REPO, "main", dest, p -> p.endsWith(".safetensors"), null));
        assertTrue(e.getMessage().contains("model-00001-of-00002.safetensors"), e.getMessage());
        Path part = dest.resolve("model-00001-of-00002.safetensors.part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < shard1.length, "partial file kept: " + kept);

        HubClient.DownloadResult r = client(1, 0).download(REPO, "main", dest, p -> p.endsWith(".safetensors"), null);
        assertArrayEquals(shard1, Files.readAllBytes(dest.resolve("model-00001-of-00002.safetensors")));
        assertEquals(shard1.length - kept, r.bytesTransferred(), "only the missing bytes were fetched");
        assertTrue(hub.requests.stream().anyMatch(q -> ("bytes=" + kept + "-").equals(q.range())), "resumed with Range: " + hub.requests);
        assertFalse(Files.exists(part));
    }

    @Test
    void retriesABrokenTransferWithinOneRun() throws Exception {
        hub.cutAfter.put("model-00002-of-00002.safetensors", 100_000);
        hub.cutTimes.put("model-00002-of-00002.safetensors", 2);
        Path dest = tmp.resolve("dl");
        client(2, 3).download(REPO, "main", dest, p -> true, null);
        assertArrayEquals(shard2, Files.readAllBytes(dest.resolve("model-00002-of-00002.safetensors")));
        assertTrue(hub.requests.stream().filter(q -> q.range() != null).count() >= 2, "two resumptions: " + hub.requests);
    }

    @Test
    void breaksOffAStalledTransferAndResumes() throws Exception {
        hub.stallAfter.put("model-00001-of-00002.safetensors", 300_000);
        Path dest = tmp.resolve("dl");
        client(1, 2).download(REPO, "main", dest, p -> p.equals("model-00001-of-00002.safetensors"), null);
        assertArrayEquals(shard1, Files.readAllBytes(dest.resolve("model-00001-of-00002.safetensors")));
        assertTrue(hub.requests.stream().anyMatch(q -> q.range() != null), "resumed after the stall: " + hub.requests);
    }

    @Test
    void rejectsAChecksumMismatchNamingTheFile() throws Exception {
        hub.listedSha.put("model-00002-of-00002.safetensors", "0".repeat(64));
        Path dest = tmp.resolve("dl");
        IOException e = assertThrows(IOException.class, () -> client(2, 0).download(REPO, "main", dest, p -> true, null));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors: sha256"), e.getMessage());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertFalse(Files.exists(dest.resolve("model-00002-of-00002.safetensors")), "a bad file is never moved into place");
        assertFalse(Files.exists(dest.resolve("model-00002-of-00002.safetensors.part")), "and its partial file is deleted");
        assertArrayEquals(shard1, Files.readAllBytes(dest.resolve("model-00001-of-00002.safetensors")), "the good files are kept");
    }

    @Test
    void unknownRepositoryGivesAClearMessage() {
        HubException e = assertThrows(HubException.class, () -> client(2, 0).download("acme/nope", "main", tmp.resolve("x"), p -> true, null));
        assertTrue(e.getMessage().contains("repository 'acme/nope' not found"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void malformedRepositoryIdIsRefusedBeforeAnyRequest() {
        HubException e = assertThrows(HubException.class, () -> client(2, 0).listFiles("../etc", "main"));
        assertTrue(e.getMessage().contains("not a repository id"), e.getMessage());
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void mirrorWithoutTreeApiFallsBackToSiblingsAndLinkedEtag() throws Exception {
        hub.treeApi = false;
        hub.linkedEtag = true;
        Path dest = tmp.resolve("dl");
        client(2, 0).download(REPO, "main", dest, HubClient.globs(List.of("*.safetensors")), null);
        assertArrayEquals(shard1, Files.readAllBytes(dest.resolve("model-00001-of-00002.safetensors")));
        assertFalse(Files.exists(dest.resolve("config.json")), "include filter honoured");
    }

    /** main is resolved to its commit first; every listing and file request then names the commit, which is recorded. */
    @Test
    void downloadPinsTheCommitOfMainAndRecordsIt() throws Exception {
        Path dest = tmp.resolve("pinned");
        HubClient.DownloadResult r = client(2, 0).download(REPO, "main", dest, HubClient.globs(HubClient.DEFAULT_INCLUDE), null);
        assertEquals(hub.commit, r.commit());
        assertTrue(hub.requests.stream().anyMatch(q -> q.path().equals("/api/models/" + REPO + "/revision/main")), hub.requests.toString());
        List<String> fileRequests = hub.requests.stream().map(FakeHub.Request::path).filter(p -> p.contains("/resolve/") || p.contains("/tree/")).toList();
        assertFalse(fileRequests.isEmpty());
        for (String p : fileRequests) assertTrue(p.contains("/" + hub.commit + "/") || p.endsWith("/" + hub.commit), "pinned: " + p);
        assertEquals(new HubClient.Source(REPO, "main", hub.commit), HubClient.readSource(dest));
        assertEquals(REPO + "@" + hub.commit, HubClient.readSource(dest).label());
        // the default include patterns take configs and weights, not other files
        assertTrue(Files.exists(dest.resolve("config.json")) && Files.exists(dest.resolve("model-00001-of-00002.safetensors")));
        assertFalse(Files.exists(dest.resolve("sub/dir/weights bin.pt")), "*.pt is not a default pattern");
    }

    @Test
    void aHubWithoutCommitIdsDownloadsTheRevisionAsNamed() throws Exception {
        hub.revisionSha = false;
        Path dest = tmp.resolve("unpinned");
        HubClient.DownloadResult r = client(2, 0).download(REPO, "main", dest, HubClient.globs(List.of("config.json")), null);
        assertEquals(null, r.commit());
        assertEquals(REPO + "@main", HubClient.readSource(dest).label());
    }

    @Test
    void globsMatchNamesAnywhereOrFullPaths() {
        var f = HubClient.globs(List.of("*.json", "sub/**"));
        assertTrue(f.test("config.json"));
        assertTrue(f.test("a/b/tokenizer.json"));
        assertTrue(f.test("sub/dir/x.pt"));
        assertFalse(f.test("model.safetensors"));
        assertFalse(f.test("other/sub/x.pt"));
    }
}
