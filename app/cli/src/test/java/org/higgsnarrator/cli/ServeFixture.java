package org.higgsnarrator.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.higgsnarrator.audio.AudioExporter;

/** Helpers of the serve tests: the bundled package, a speech-like clip, fixtures, and plain HTTP on the loopback. */
final class ServeFixture {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private ServeFixture() {}

    static Path tinyPackage() {
        return Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");
    }

    /** Tone bursts after 0.2 s of silence: sound that reference-clip trimming keeps (as NarrateCommandTest.tone). */
    static Path clip(Path file, double hz, double seconds) throws IOException {
        float[] pcm = new float[(int) (24000 * (seconds + 0.4))];
        for (int i = 4800; i < pcm.length - 4800; i++) {
            if ((i - 4800) % 7200 < 4800) pcm[i] = (float) (0.4 * Math.sin(2 * Math.PI * hz * i / 24000.0));
        }
        NarrateCommand.write(file, AudioExporter.Format.WAV16, pcm, 24000);
        return file;
    }

    /** An official-shaped body from src/test/resources/serve, the reference clip filled in. */
    static JsonObject fixture(String name, Path referenceWav) throws IOException {
        try (InputStream in = ServeFixture.class.getResourceAsStream("/serve/" + name)) {
            if (in == null) throw new IOException("fixture /serve/" + name + " missing");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (referenceWav != null) text = text.replace("${REFERENCE_WAV_BASE64}", Base64.getEncoder().encodeToString(Files.readAllBytes(referenceWav)));
            return JsonParser.parseString(text).getAsJsonObject();
        }
    }

    static HttpRequest.Builder request(URI base, String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return b;
    }

    static HttpResponse<byte[]> get(URI base, String path, String key) throws Exception {
        return HTTP.send(request(base, path, key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> post(URI base, String path, String key, String body) throws Exception {
        return HTTP.send(request(base, path, key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonObject json(HttpResponse<byte[]> r) {
        return JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
