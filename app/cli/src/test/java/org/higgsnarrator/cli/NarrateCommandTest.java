package org.higgsnarrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.engine.ChapterSplitter;
import org.higgsnarrator.engine.Conversation;
import org.higgsnarrator.engine.ConversationPlanner;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.SynthesisRequest;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.runtime.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NarrateCommandTest {
    static final Path TINY = Path.of(System.getProperty("narrator.repo.root", "../..")).resolve("onnx-models/tiny");

    @TempDir
    Path dir;

    @Test
    void wavIsReadableByJavaSoundAndHoldsTheSamples() throws Exception {
        float[] pcm = new float[2400];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (float) Math.sin(2 * Math.PI * 440 * i / 24000.0) * 0.5f;
        pcm[7] = 3f; // clipped, not wrapped
        Path out = dir.resolve("out.wav");
        new org.higgsnarrator.audio.AudioExporter().export(new org.higgsnarrator.audio.AudioClip(pcm, 24000), out, org.higgsnarrator.audio.AudioExporter.Format.forFile(out));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(out.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(24000f, f.getSampleRate());
            assertEquals(1, f.getChannels());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(pcm.length, in.getFrameLength());
            byte[] b = in.readAllBytes();
            for (int i = 0; i < pcm.length; i++) {
                short s = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
                assertEquals(Math.clamp(pcm[i], -1f, 1f), s / 32767f, 1.0 / 32767, "sample " + i);
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void voiceArgumentsAndTheirErrors() throws Exception {
        Path clip = Files.write(dir.resolve("alice.wav"), new byte[] {1});
        Files.writeString(dir.resolve("alice.txt"), " Hello there. \n");
        Path other = Files.writeString(dir.resolve("words.txt"), "Other words.");
        assertEquals(new NarrateCommand.VoiceArg("Alice", clip, "Hello there."), NarrateCommand.VoiceArg.parse("Alice=" + clip));
        assertEquals("Other words.", NarrateCommand.VoiceArg.parse("Alice=" + clip + ":" + other).transcript());
        var e = assertThrows(IllegalArgumentException.class, () -> NarrateCommand.VoiceArg.parse("Bob=" + dir.resolve("bob.wav")));
        assertTrue(e.getMessage().contains("bob.txt"), e.getMessage());
        assertThrows(Args.UsageException.class, () -> NarrateCommand.VoiceArg.parse("=x.wav"));
    }

    @Test
    void samplingOptionsFromTheCommandLine() {
        var a = Args.parse(new String[] {"--temperature", "0.3", "--seed", "42", "--top-k", "0"}, Main.FLAGS);
        GenerationOptions o = NarrateCommand.options(a);
        assertEquals(0.3, o.temperature());
        assertEquals(42, o.seed());
        assertEquals(0, o.topK());
        assertEquals(GenerationOptions.defaults().rasWindow(), o.rasWindow());
        GenerationOptions g = NarrateCommand.options(Args.parse(new String[] {"--greedy"}, Main.FLAGS));
        assertTrue(g.greedy());
        assertEquals(GenerationOptions.defaults().rasWindow(), g.rasWindow(), "--greedy keeps RAS, as the release's greedy mode (serve_engine.py L388-394)");
        assertThrows(IllegalArgumentException.class, () -> NarrateCommand.options(Args.parse(new String[] {"--top-p", "0"}, Main.FLAGS)));
    }

    /** The package carries the sampling defaults: the narrator starts from them and the command line overrides them. */
    @Test
    void samplingDefaultsComeFromThePackage() throws Exception {
        Path tiny = TINY.toAbsolutePath();
        Path pkg = Files.createDirectories(dir.resolve("other-defaults"));
        try (var files = Files.list(tiny)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("manifest.json")) Files.createSymbolicLink(pkg.resolve(f.getFileName()), f);
            }
        }
        String manifest = Files.readString(tiny.resolve("manifest.json"));
        assertTrue(manifest.contains("\"temperature\": 0.3") && manifest.contains("\"topK\": 50"), "the bundled package's sampling block");
        Files.writeString(pkg.resolve("manifest.json"), manifest.replace("\"temperature\": 0.3", "\"temperature\": 0.7").replace("\"topK\": 50", "\"topK\": 20"));
        try (Narrator narrator = NarratorLoader.load(pkg, Device.CPU)) {
            assertEquals(0.7, narrator.defaultOptions().temperature());
            assertEquals(20, narrator.defaultOptions().topK());
            GenerationOptions o = NarrateCommand.options(Args.parse(new String[] {"--top-k", "5"}, Main.FLAGS), narrator.defaultOptions());
            assertEquals(5, o.topK());
            assertEquals(0.7, o.temperature());
        }
    }

    /** The engine's one reference preparation: encoded once per content and codec, cached under the content key. */
    @Test
    void referenceClipsAreEncodedOncePerContentAndCodec() throws Exception {
        Path tiny = TINY;
        Path clip = tone("ref.wav", 330, 1.0);
        Path same = Files.copy(clip, dir.resolve("same-recording-other-name.wav"));
        Path cache = dir.resolve("codes");
        try (Narrator narrator = NarratorLoader.load(tiny, Device.CPU)) {
            assertEquals(org.higgsnarrator.pkg.PackageManifest.read(tiny).codecId(), narrator.codecId());
            int[][] codes = narrator.encodeReference(clip, cache);
            assertArrayEquals(narrator.encodeReference(clip), codes, "the cache holds what the encoder gives");
            assertArrayEquals(codes, narrator.encodeReference(same, cache));
            try (var files = Files.list(cache)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertEquals(1, names.size(), names.toString());
                assertTrue(names.getFirst().endsWith(".codes-" + narrator.codecId() + ".json"), names.toString());
            }
        }
    }

    @Test
    void progressLine() {
        String l = NarrateCommand.ProgressBar.line(new Progress(2, 10, 500, 20.0, 10.0, 2.0, 30.0));
        assertTrue(l.contains("chunk 3/10") && l.contains("×2.00 real-time") && l.contains("ETA 0:30") && l.contains(" 25%"), l);
        assertTrue(NarrateCommand.ProgressBar.line(new Progress(0, 1, 1, 0.04, 1, 0.04, Double.NaN)).contains("ETA --:--"));
    }

    @Test
    void twoNamedSpeakersWithTwoVoiceClipsRenderTwoChunksWithTheirVoices() throws Exception {
        Path tiny = TINY;
        // Different lengths, so that the two clips' codes differ in shape whatever the random codec makes of them.
        Path alice = tone("alice.wav", 220, 2.0), bob = tone("bob.wav", 660, 1.3);
        Files.writeString(dir.resolve("alice.txt"), "I am Alice.");
        Files.writeString(dir.resolve("bob.txt"), "I am Bob.");
        String text = "Alice: Hello there.\nBob: Thanks.\n";
        Path script = Files.writeString(dir.resolve("script.txt"), text);
        Path out = dir.resolve("out.wav");

        String err = stderrOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--out", out.toString(),
                "--model", tiny.toString(), "--device", "cpu", "--max-frames", "12", "--voice", "Alice=" + alice, "--voice", "Bob=" + bob}, Main.FLAGS))));
        assertTrue(err.contains("chunk 1/2 (Alice, voice alice.wav, 2 words)"), err);
        assertTrue(err.contains("chunk 2/2 (Bob, voice bob.wav, 1 words)"), err);
        assertTrue(err.contains("random-weight test model") && err.contains("does not speak") && err.contains("./narrator export"), err);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(out.toFile())) {
            assertTrue(in.getFrameLength() > 0, "audio written");
        }

        // The prompts pair each chunk's speaker tag with that speaker's own clip.
        try (Narrator narrator = NarratorLoader.load(tiny, Device.CPU)) {
            Map<String, NarrateCommand.VoiceArg> clips = new LinkedHashMap<>();
            clips.put("Alice", NarrateCommand.VoiceArg.parse("Alice=" + alice));
            clips.put("Bob", NarrateCommand.VoiceArg.parse("Bob=" + bob));
            SynthesisRequest request = NarrateCommand.request(narrator::cloneVoice, text, clips, Map.of(), List.of(), GenerationOptions.defaults());
            int[][] aliceCodes = narrator.cloneVoice("x", alice, "x").referenceCodes(), bobCodes = narrator.cloneVoice("x", bob, "x").referenceCodes();
            assertNotEquals(aliceCodes[0].length, bobCodes[0].length);
            List<ScriptChunk> chunks = new ChapterSplitter().split(request.script(), 200);
            ConversationPlanner planner = new ConversationPlanner(request.voices(), request.scene(), chunks);
            for (int i = 0; i < 2; i++) {
                List<Conversation.Message> m = planner.conversation(chunks.get(i), List.of()).messages();
                assertEquals(new Conversation.UserText("[SPEAKER0] I am Alice."), m.get(0));
                assertArrayEquals(aliceCodes, ((Conversation.AssistantAudio) m.get(1)).codes());
                assertEquals(new Conversation.UserText("[SPEAKER1] I am Bob."), m.get(2));
                assertArrayEquals(bobCodes, ((Conversation.AssistantAudio) m.get(3)).codes());
                assertEquals(new Conversation.UserText(i == 0 ? "[SPEAKER0] Hello there." : "[SPEAKER1] Thanks."), m.get(4));
            }
        }
    }

    /**
     * {@code --show-prompts}: the prompt of every chunk as the model reads it, in Boson's layout (examples/generation.py
     * L426-431: cloned voices without a scene → no system message; L522-526: the default scene is the quiet room;
     * L441-442: the transcript only stripped).
     */
    @Test
    void showPromptsPrintsEachChunksPromptInTheOfficialLayout() throws Exception {
        Path tiny = TINY;
        Path clip = tone("reader.wav", 330, 1.0);
        String transcript = "“Well,” she said (quietly), “it’s 68°F”";
        Files.writeString(dir.resolve("reader.txt"), transcript + "\n");
        Path script = Files.writeString(dir.resolve("script.txt"), "Once upon a time.\n\nThe end.\n");
        String none = stdoutOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--show-prompts",
                "--model", tiny.toString(), "--voice", "narrator=" + clip, "--scene", "none"}, Main.FLAGS))));
        String[] chunks = none.split("=== chunk \\d/2 ===\n", -1);
        assertEquals(3, chunks.length, none);
        assertTrue(none.startsWith("=== chunk 1/2 ===\n"), none);
        assertTrue(chunks[1].startsWith("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + transcript + "<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n<|audio_out_bos|><|AUDIO_OUT|>["), chunks[1]);
        assertTrue(chunks[1].contains(" frames]<|audio_eos|>") && chunks[1].strip().endsWith("Once upon a time.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<|audio_out_bos|>"), chunks[1]);
        assertTrue(chunks[2].contains("<|AUDIO_OUT|>[audio generated for chunk 1]<|audio_eos|>") && chunks[2].contains("The end."), chunks[2]);

        String quiet = stdoutOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--show-prompts",
                "--model", tiny.toString(), "--voice", "narrator=" + clip}, Main.FLAGS))));
        assertTrue(quiet.contains("<|start_header_id|>system<|end_header_id|>\n\nGenerate audio following instruction.\n\n"
                + "<|scene_desc_start|>\nAudio is recorded from a quiet room.\n<|scene_desc_end|><|eot_id|>"), quiet);
        assertTrue(quiet.contains(transcript), quiet);
    }

    /**
     * {@code --show-prompts} with one described and one cloned voice: Boson's example puts every voice into the system
     * message once one is described (examples/generation.py L399-425), the clip as audio input
     * ({@code <|audio_bos|><|AUDIO|><|audio_eos|>}, chatml_dataset.py L416-423), shown once with its frame count; no
     * reference turns (L446).
     */
    @Test
    void showPromptsPutsEveryVoiceIntoTheSystemMessageOnceOneIsDescribed() throws Exception {
        Path tiny = TINY;
        Path clip = tone("alice.wav", 330, 1.0);
        Files.writeString(dir.resolve("alice.txt"), "I am Alice.");
        Path script = Files.writeString(dir.resolve("script.txt"), "Alice: Hello there.\nBob: Thanks.\n");
        String out = stdoutOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--show-prompts",
                "--model", tiny.toString(), "--voice", "Alice=" + clip, "--profile", "Bob=Male, deep voice."}, Main.FLAGS))));
        String[] chunks = out.split("=== chunk \\d/2 ===\n", -1);
        assertEquals(3, chunks.length, out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^<\\|begin_of_text\\|><\\|start_header_id\\|>system<\\|end_header_id\\|>\n\n"
                + "Generate audio following instruction\\.\n\n<\\|scene_desc_start\\|>\nAudio is recorded from a quiet room\\.\n\n"
                + "SPEAKER0: <\\|audio_bos\\|><\\|AUDIO\\|>\\[(\\d+) frames\\]<\\|audio_eos\\|>\nSPEAKER1: Male, deep voice\\.\n"
                + "<\\|scene_desc_end\\|><\\|eot_id\\|><\\|start_header_id\\|>user<\\|end_header_id\\|>\n\n\\[SPEAKER0\\] Hello there\\.<\\|eot_id\\|>").matcher(chunks[1]);
        assertTrue(m.find(), chunks[1]);
        assertTrue(Integer.parseInt(m.group(1)) > 0, "the clip's frame count");
        assertTrue(chunks[2].contains("SPEAKER0: <|audio_bos|><|AUDIO|>[" + m.group(1) + " frames]<|audio_eos|>")
                && chunks[2].contains("<|AUDIO_OUT|>[audio generated for chunk 1]<|audio_eos|>"), chunks[2]);
        assertFalse(out.contains("I am Alice."), "a voice in the system message brings no transcript turn");
        assertEquals(2, out.split("<\\|AUDIO\\|>", -1).length - 1, "one audio-input span per chunk, shown once: " + out);
    }

    /**
     * {@code --ref-audio-in-system-message} (the official example's flag): a cloned voice goes into the system message as
     * audio input even when no voice is described; without it the clip is a user/assistant turn pair.
     */
    @Test
    void refAudioInSystemMessagePutsAClipVoiceIntoTheSystemMessage() throws Exception {
        Path tiny = TINY;
        Path clip = tone("alice-sys.wav", 330, 1.0);
        Files.writeString(dir.resolve("alice-sys.txt"), "I am Alice.");
        Path script = Files.writeString(dir.resolve("sys-script.txt"), "Alice: Hello there.\n");
        String turns = stdoutOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--show-prompts",
                "--model", tiny.toString(), "--voice", "Alice=" + clip}, Main.FLAGS))));
        assertTrue(turns.contains("I am Alice.") && !turns.contains("<|AUDIO|>"), "by default the clip is a turn pair with its transcript: " + turns);
        String system = stdoutOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--show-prompts",
                "--model", tiny.toString(), "--voice", "Alice=" + clip, "--ref-audio-in-system-message"}, Main.FLAGS))));
        assertTrue(system.matches("(?s).*<\\|start_header_id\\|>system<\\|end_header_id\\|>.*SPEAKER0: <\\|audio_bos\\|><\\|AUDIO\\|>\\[\\d+ frames\\]<\\|audio_eos\\|>.*<\\|scene_desc_end\\|>.*"),
                system);
        assertFalse(system.contains("I am Alice."), "no transcript turn: " + system);
        var e = assertThrows(Args.UsageException.class, () -> new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--out",
                dir.resolve("x.wav").toString(), "--server", "http://127.0.0.1:9", "--voice", "Alice=" + clip, "--ref-audio-in-system-message"}, Main.FLAGS)));
        assertTrue(e.getMessage().contains("--ref-audio-in-system-message"), e.getMessage());
    }

    /** A lexicon rule changes the text the model reads ({@code --show-prompts}), not the script file (issue 17's proof). */
    @Test
    void lexiconChangesThePromptAndNotTheScript() throws Exception {
        Path tiny = TINY;
        String text = "Hermione waved at the tomato stand.\n";
        Path script = Files.writeString(dir.resolve("lexicon-script.txt"), text);
        Path rules = Files.writeString(dir.resolve("rules.txt"), "Hermione = Her-my-oh-nee\n");
        String plain = stdoutOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--show-prompts",
                "--model", tiny.toString(), "--scene", "none"}, Main.FLAGS))));
        String respelled = stdoutOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--show-prompts",
                "--model", tiny.toString(), "--scene", "none", "--lexicon", rules.toString()}, Main.FLAGS))));
        assertTrue(plain.contains("Hermione waved") && !plain.contains("Her-my-oh-nee"), plain);
        assertTrue(respelled.contains("Her-my-oh-nee waved") && !respelled.contains("Hermione"), respelled);
        assertEquals(text, Files.readString(script));
    }

    /** The output format follows the extension (through the audio module); an unknown one fails before any render. */
    @Test
    void outputFormatFollowsTheExtension() throws Exception {
        Path tiny = TINY;
        Path script = Files.writeString(dir.resolve("script.txt"), "Hello there.\n");
        Path flac = dir.resolve("chapter.flac");
        stderrOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--out", flac.toString(),
                "--model", tiny.toString(), "--device", "cpu", "--max-frames", "16", "--quiet"}, Main.FLAGS))));
        var clip = org.higgsnarrator.audio.AudioReader.read(flac);
        assertEquals(24000, clip.sampleRate());
        assertTrue(clip.samples().length > 0, "audio written");
        byte[] magic = java.util.Arrays.copyOf(Files.readAllBytes(flac), 4);
        assertEquals("fLaC", new String(magic, StandardCharsets.US_ASCII));

        Path ogg = dir.resolve("chapter.ogg");
        var e = assertThrows(IllegalArgumentException.class, () -> new NarrateCommand().run(Args.parse(new String[] {script.toString(),
                "--out", ogg.toString(), "--model", dir.resolve("no-such-package").toString()}, Main.FLAGS)));
        assertTrue(e.getMessage().contains("'ogg'") && e.getMessage().contains(".flac"), e.getMessage());
        assertFalse(Files.exists(ogg));
    }

    /**
     * --retakes: the tiny random model never finds an end, so every chunk hits the frame limit and is flagged; each is
     * re-rolled N times with new seeds, the report says so, and the QA report is written as text and JSON.
     */
    @Test
    void retakesRerollFlaggedChunksAndWriteAQaReport() throws Exception {
        Path tiny = TINY;
        Path script = Files.writeString(dir.resolve("script.txt"), "Alice: Hello there.\nBob: Thanks.\n");
        Path out = dir.resolve("ch.wav");
        String err = stderrOf(() -> assertEquals(0, new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--out", out.toString(),
                "--model", tiny.toString(), "--device", "cpu", "--max-frames", "16", "--retakes", "2"}, Main.FLAGS))));
        assertTrue(err.contains("chunk 1: retake 1 of 2") && err.contains("chunk 2: retake 2 of 2"), err);
        assertTrue(err.contains("take QA: 2 of 2 flagged") && err.contains("best of 3 takes") && err.contains("frame limit"), err);
        String text = Files.readString(dir.resolve("ch.wav.qa.txt"));
        assertTrue(text.contains("FLAG #1"), text);
        var json = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("ch.wav.qa.json"))).getAsJsonObject();
        assertEquals(2, json.getAsJsonArray("takes").size());
        assertEquals(3, json.getAsJsonArray("takes").get(0).getAsJsonObject().get("takesRendered").getAsInt());
        var kinds = new java.util.ArrayList<String>();
        json.getAsJsonArray("takes").get(0).getAsJsonObject().getAsJsonArray("findings").forEach(f -> kinds.add(f.getAsJsonObject().get("kind").getAsString()));
        assertTrue(kinds.contains("FRAME_LIMIT"), kinds.toString());
        assertTrue(org.higgsnarrator.audio.AudioReader.read(out).samples().length > 0);
        // refused before any model is looked at: a model folder that does not exist is not what it reports
        var e = assertThrows(Args.UsageException.class, () -> new NarrateCommand().run(Args.parse(new String[] {script.toString(), "--out", out.toString(),
                "--model", dir.resolve("no-such-model").toString(), "--device", "cpu", "--retakes", "-1"}, Main.FLAGS)));
        assertTrue(e.getMessage().contains("--retakes"), e.getMessage());
    }

    @Test
    void malformedSpeakerTagsWarnBeforeAnythingLoads() throws Exception {
        Path script = Files.writeString(dir.resolve("tags.txt"), "[Speaker 1] Hello there.\n");
        String err = stderrOf(() -> assertThrows(IllegalArgumentException.class, () -> new NarrateCommand().run(Args.parse(new String[] {
                script.toString(), "--out", dir.resolve("x.wav").toString(), "--model", dir.resolve("no-such-package").toString()}, Main.FLAGS))));
        assertTrue(err.contains("warning: " + script + ", line 1: \"[Speaker 1]\" is not a speaker tag") && err.contains("[SPEAKER1]"), err);
    }

    @Test
    void voicesAreCheckedAgainstTheScriptsSpeakers() {
        GenerationOptions o = GenerationOptions.defaults();
        Path script = Path.of("s.txt");
        var alice = new NarrateCommand.VoiceArg("Alice", Path.of("clips/alice.wav"), "Hi.");
        assertEquals(Map.of("Alice", "alice.wav", "SPEAKER1", "profile"),
                NarrateCommand.voiceLabels(script, "Alice: One.\n[SPEAKER1] Two.\nBob: Three.", o, Map.of("Alice", alice), Map.of("SPEAKER1", "Calm.")));
        // The only voice reads untagged text; with speakers in the script, a voice must name one of them (or narrator).
        assertEquals(Map.of(Voice.NARRATOR, "profile"), NarrateCommand.voiceLabels(script, "Once upon a time.", o, Map.of(), Map.of("Reader", "Calm.")));
        var e = assertThrows(IllegalArgumentException.class,
                () -> NarrateCommand.voiceLabels(script, "Alicia: One.\n\nNarration.", o, Map.of("Alice", alice), Map.of()));
        assertTrue(e.getMessage().contains("no speaker Alice") && e.getMessage().contains("Alicia, narrator"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NarrateCommand.voiceLabels(script, "# Only a title", o, Map.of(), Map.of()));
    }

    /** Tone bursts of 0.2 s with 0.1 s pauses after 0.2 s of silence: sound that reference-clip trimming keeps. */
    Path tone(String name, double hz, double seconds) throws Exception {
        float[] pcm = new float[(int) (24000 * (seconds + 0.4))];
        for (int i = 4800; i < pcm.length - 4800; i++) {
            if ((i - 4800) % 7200 < 4800) pcm[i] = (float) (0.4 * Math.sin(2 * Math.PI * hz * i / 24000.0));
        }
        Path p = dir.resolve(name);
        new org.higgsnarrator.audio.AudioExporter().export(new org.higgsnarrator.audio.AudioClip(pcm, 24000), p, org.higgsnarrator.audio.AudioExporter.Format.WAV16);
        return p;
    }

    interface Action {
        void run() throws Exception;
    }

    static String stdoutOf(Action a) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            a.run();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static String stderrOf(Action a) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            a.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
