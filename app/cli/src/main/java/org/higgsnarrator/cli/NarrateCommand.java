package org.higgsnarrator.cli;

import org.higgsnarrator.audio.AudioExporter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.decode.GenerationResult;
import org.higgsnarrator.engine.ChapterSplitter;
import org.higgsnarrator.engine.ChunkResult;
import org.higgsnarrator.engine.ConversationPlanner;
import org.higgsnarrator.engine.FileRender;
import org.higgsnarrator.engine.RenderCheckpoint;
import org.higgsnarrator.runtime.Device;
import org.higgsnarrator.engine.Narrator;
import org.higgsnarrator.engine.NarratorLoader;
import org.higgsnarrator.engine.Progress;
import org.higgsnarrator.engine.ScriptChunk;
import org.higgsnarrator.engine.SynthesisListener;
import org.higgsnarrator.engine.SynthesisRequest;
import org.higgsnarrator.lexicon.Lexicon;
import org.higgsnarrator.lexicon.LexiconFiles;
import org.higgsnarrator.engine.SynthesisJob;
import org.higgsnarrator.engine.SynthesisResult;
import org.higgsnarrator.qa.ChapterQaReport;
import org.higgsnarrator.qa.Retakes;
import org.higgsnarrator.qa.TakeQa;
import org.higgsnarrator.engine.Voice;
import org.higgsnarrator.engine.PromptPreview;


/** {@code ./narrator narrate}: Render a script to an audio file. */
public final class NarrateCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("out", "model", "voice", "profile", "scene", "lexicon", "temperature", "top-k", "top-p",
            "seed", "greedy", "max-frames", "chunk-words", "context-chunks", "device", "quiet", "server", "api-key", "server-slots", "show-prompts",
            "retakes", "context", "fresh", "ref-audio-in-system-message");

    @Override
    public String name() {
        return "narrate";
    }

    @Override
    public String summary() {
        return "Render a script to an audio file.";
    }

    @Override
    public String usage() {
        GenerationOptions d = GenerationOptions.defaults();
        return """
                Usage: ./narrator narrate SCRIPT.txt --out OUT.wav|.flac|.mp3|.m4b [options]
                       ./narrator narrate SCRIPT.txt --show-prompts [options]

                Render a script (plain text, UTF-8) to a mono audio file (format from --out). Paragraphs are separated by blank lines;
                a line starting with "Name:" (up to three capitalised words and a colon) is spoken by speaker Name
                until the next speaker or the paragraph's end, and so is text after a [SPEAKERn] tag (speaker
                SPEAKERn); untagged paragraphs are the narrator's. "# Title" lines are chapter headings (not
                read). Long chapters are generated in chunks, each carrying the previous chunks' audio as context so
                that voices stay consistent. Speakers without a voice are voiced by the model.

                Options:
                  --out FILE              output file, its format from the extension: .wav (16-bit), .flac,
                                          .mp3 (192 kbps), .m4b/.m4a (needs ffmpeg); written when done (required).
                                          Until then the audio and the finished chunks are kept in FILE.parts:
                                          running the same command again resumes where it stopped
                  --fresh                 start over, discarding the finished chunks of an earlier run
                  --model DIR             model package (default: onnx-models/tiny under the install directory)
                  --voice NAME=CLIP[:TXT] clone NAME's voice from a recording (wav/flac/mp3) and its transcript
                                          (TXT, or CLIP with .txt beside it); repeatable. NAME is a speaker as
                                          written before its colon (Alice), SPEAKERn for [SPEAKERn] tags, or
                                          "narrator" for untagged text (in a script without speakers,
                                          the only voice given reads it whatever its name).
                  --profile NAME=TEXT     describe NAME's voice instead, e.g. "Female, British accent, calm."; repeatable
                  --scene TEXT            scene description; repeatable; "none" for no scene (default, as the
                                          official example: "Audio is recorded from a quiet room.")
                  --ref-audio-in-system-message
                                          put the cloned voices' clips into the system message (as audio input)
                                          even when no voice is described by text, as the official example's flag
                                          of that name; by default they are user/assistant turns unless a voice is
                                          described (then all voices go into the system message, as officially)
                  --lexicon FILE          pronunciation rules (PLS .pls/.xml, or text: 'Hermione = Her-my-oh-nee');
                                          applied to what the model reads, not to the script; repeatable
                  --temperature T         sampling temperature (default: the model package's; release %s)
                  --top-k K               keep the K most likely codes, 0 = off (default: the package's; release %d)
                  --top-p P               nucleus sampling, 1 = off (default: the package's; release %s)
                  --seed N                random seed: the same seed gives the same take (default %d)
                  --greedy                take the most likely code instead of sampling (repetition-aware
                                          resampling stays on, as in the official greedy mode)
                  --max-frames N          longest chunk in frames, 25 per second (default: the package's; release %d)
                  --chunk-words N         longest chunk in words (default %d)
                  --context-chunks N      previous chunks carried as context, 0 = none (default %d)
                  --context POLICY        how the previous chunks are carried: window:N (the last N chunks, slid chunk
                                          by chunk; = --context-chunks N) or carry:TOKENS (every chunk stays in the
                                          model's live state, so each prefills only its own text, until a prompt
                                          passes TOKENS positions; then it restarts from the last chunk). Either way
                                          the model's context is never exceeded (oldest chunks dropped, then the
                                          frame budget cut, said in a note). See docs/engine.md "Long form"
                  --device auto|cpu|cuda  where to run (default auto)
                  --server URL            render on a Higgs Audio server (./narrator serve, or Boson's
                                          higgs-audio-vllm image) instead of this machine; repeatable: chunks
                                          go to whichever server is free, a failing server's chunk to another
                                          (with --context-chunks 0 the chunks render in parallel)
                  --api-key KEY           the servers' key (default: NARRATOR_API_KEY)
                  --server-slots N        requests in flight per server (default 1; a GPU server that batches
                                          requests, such as Boson's image, takes several; needs --context-chunks 0)
                  --retakes N             re-render each chunk the take checks flag (too fast/slow for its words,
                                          long silence, clipping, cut off, loop, level jump) up to N times with new
                                          seeds and keep the best take (default 0). The checks always run: their
                                          report is written beside --out as OUT.qa.txt and OUT.qa.json
                  --quiet                 no progress bar
                  --show-prompts          print each chunk's prompt as the model will read it (decoded tokens,
                                          special tokens spelled, each audio span once with its frame count)
                                          between "=== chunk i/N ===" lines, and stop: no audio is generated
                                          and the generation model is not loaded (--out is not needed)
                """.formatted(d.temperature(), d.topK(), d.topP(), d.seed(), d.maxFrames(), d.chunkMaxWords(), d.chunkBufferSize());
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(OPTIONS);
        if (args.positionals().size() != 1) throw new Args.UsageException("give exactly one script file");
        Path scriptFile = Path.of(args.positionals().getFirst());
        boolean showPrompts = args.has("show-prompts");
        Path out = args.path("out");
        if (out == null && !showPrompts) throw new Args.UsageException("missing required option --out");
        AudioExporter.Format format = out == null ? null : AudioExporter.Format.forFile(out); // before the model loads: a typo costs no render
        String script = readText(scriptFile, "script");
        if (script.isBlank()) throw new IllegalArgumentException(scriptFile + " is empty: nothing to narrate");
        if (out != null) FileRender.checkOutput(out); // before the model loads: a read-only folder is found in seconds, not after the render
        int retakes = args.has("retakes") ? args.getInt("retakes", 0) : 0;
        if (retakes < 0) throw new Args.UsageException("--retakes must be 0 or more, got " + retakes); // before the model loads, too

        for (String w : org.higgsnarrator.text.Script.malformedTags(script)) System.err.println("warning: " + scriptFile + ", " + w);
        GenerationOptions options = options(args);
        Lexicon lexicon = lexicons(args.all("lexicon"), System.err); // a bad rule fails here, before the model loads
        Map<String, VoiceArg> clips = new LinkedHashMap<>();
        for (String v : args.all("voice")) {
            VoiceArg a = VoiceArg.parse(v);
            clips.put(a.name, a);
        }
        Map<String, String> profiles = new LinkedHashMap<>();
        for (String p : args.all("profile")) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) throw new Args.UsageException("--profile expects NAME=TEXT, got '" + p + "'");
            profiles.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        Device device = Device.parse(args.get("device", "auto"));
        Path model = args.has("model") ? args.path("model") : Path.of(System.getProperty("narrator.home", ".")).resolve("onnx-models/tiny");
        if (!args.has("server") && !Files.isDirectory(model)) {   // with --server the servers hold the model
            throw new IllegalArgumentException("model package " + model + " not found; pass --model DIR (a folder made by ./narrator export)");
        }
        boolean quiet = args.has("quiet");
        for (String name : profiles.keySet()) {
            if (clips.containsKey(name)) throw new Args.UsageException("speaker " + name + " has both --voice and --profile; choose one");
        }
        Map<String, String> labels = voiceLabels(scriptFile, script, options, clips, profiles);
        List<String> scene = scene(args.all("scene"));
        if (showPrompts) {
            showPrompts(model, script, clips, profiles, scene, options, lexicon, placement(args), System.out);
            return 0;
        }
        // on servers the rules are applied to each chunk's text before it is sent, as the local engine applies them
        if (args.has("server") && args.has("ref-audio-in-system-message")) // the chat API carries clips as turns only: refuse rather than ignore
            throw new Args.UsageException("--ref-audio-in-system-message cannot be sent to --server (the chat API carries reference audio in assistant turns); render locally or drop it");
        if (args.has("server")) return RemoteNarrate.run(args, script, clips, profiles, options, lexicon, labels, out, format);

        try (Narrator narrator = NarratorLoader.load(model, device)) {
            if (narrator.info().randomWeights()) {
                System.err.println("note: " + model + " is a random-weight test model: it exercises the pipeline but does not speak;"
                        + " convert the real model with ./narrator export (see ./narrator export --help) and pass it with --model");
            }
            SynthesisRequest request = request(narrator::cloneVoice, script, clips, profiles, scene, options(args, narrator.defaultOptions())).withLexicon(lexicon)
                    .withClipPlacement(placement(args));
            ProgressBar bar = new ProgressBar(System.err, quiet, labels);
            bar.parts = RenderCheckpoint.folderFor(out);
            SynthesisJob job = narrator.newJob(request);
            // Take QA with re-rolls inside the job: each chunk is checked as it is generated and re-rendered when
            // flagged; the render streams to disk and resumes like any other (docs/quality.md)
            Retakes judge = args.has("retakes") ? new Retakes(new TakeQa()) : null;
            if (judge != null) job.withRetakes(judge, retakes);
            try {
                FileRender.Outcome outcome = FileRender.render(job, out, format, args.has("fresh"), bar);
                bar.done(outcome.result());
                if (judge != null) {
                    ChapterQaReport report = judge.report(out.getFileName().toString());
                    writeQaReport(out, report);
                    if (!quiet) System.err.print(report.text());
                    if (outcome.resumedChunks() > 0 && !quiet)
                        System.err.printf("note: the %d chunk(s) rendered before the resume are not in the take report%n", outcome.resumedChunks());
                }
                if (!quiet) System.err.printf("wrote %s (%.1f s of audio)%n", out, outcome.seconds());
            } catch (OutOfMemoryError e) {
                throw new IllegalStateException(outOfMemory(bar));
            }
        }
        return 0;
    }

    /** Whole PCM in memory through the audio module's exporter (the --server path: chunks come back from servers). */
    static void write(Path out, AudioExporter.Format format, float[] pcm, int sampleRate) throws java.io.IOException {
        new AudioExporter().export(new org.higgsnarrator.audio.AudioClip(pcm, sampleRate), out, format);
    }

    /** One sentence for an OutOfMemoryError: where it happened, that nothing finished is lost, what to change. */
    static String outOfMemory(ProgressBar bar) {
        long mb = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (Java heap " + mb + " MB) at chunk " + (bar.chunk + 1) + " of " + bar.chunks + "; the " + bar.finished
                + " finished chunk(s) are kept in " + bar.parts + " and the same command resumes there: give Java more memory"
                + " (NARRATOR_JAVA_OPTS=-Xmx" + Math.max(2, 2 * (mb + 1023) / 1024) + "g ./narrator narrate …) or shorten the reference clips";
    }

    /**
     * The {@code --lexicon} files, in order, as one lexicon; their notes go to {@code err}. Chapter rules are left out
     * (a script given to narrate is one chapter; 'render' applies them per project chapter), and that is said.
     */
    static Lexicon lexicons(java.util.List<String> files, java.io.PrintStream err) throws java.io.IOException {
        Lexicon all = Lexicon.EMPTY;
        java.util.List<String> notes = new java.util.ArrayList<>();
        for (String f : files) all = all.plus(LexiconFiles.read(Path.of(f), notes));
        for (String n : notes) err.println("note: " + n);
        if (all.chapterRules() > 0) err.println("note: " + all.chapterRules() + " chapter rule(s) of the lexicon are not used by narrate (one script, no project chapters)");
        return all;
    }

    /**
     * Checks the voices against the script's speakers before the model loads (a misspelt name would otherwise leave a
     * speaker to the model unnoticed) and says who reads whom.
     *
     * @return speaker → what reads it ("alice.wav", "profile"), for the speakers that have a voice
     */
    static Map<String, String> voiceLabels(Path scriptFile, String script, GenerationOptions options, Map<String, VoiceArg> clips,
            Map<String, String> profiles) {
        List<ScriptChunk> chunks = new ChapterSplitter().split(script, options.chunkMaxWords());
        if (chunks.isEmpty()) throw new IllegalArgumentException(scriptFile + " has no words to narrate");
        Set<String> names = new LinkedHashSet<>(clips.keySet());
        names.addAll(profiles.keySet());
        Map<String, String> assigned = ConversationPlanner.voiceNames(names, chunks);
        Set<String> speakers = new LinkedHashSet<>();
        for (ScriptChunk c : chunks) speakers.add(c.speaker());
        for (String name : names) {
            if (!assigned.containsValue(name)) {
                throw new IllegalArgumentException("voice " + name + " reads nothing: " + scriptFile + " has no speaker " + name + "; its speakers are "
                        + String.join(", ", speakers) + " (use the name as written before its colon, SPEAKERn for [SPEAKERn] tags, or "
                        + Voice.NARRATOR + " for untagged text)");
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (var e : assigned.entrySet()) {
            VoiceArg clip = clips.get(e.getValue());
            labels.put(e.getKey(), clip != null ? String.valueOf(clip.clip().getFileName()) : "profile");
        }
        return labels;
    }

    /** What clones a voice from a clip: the narrator's codec, or the prompt preview's. */
    interface Cloner {
        Voice clone(String name, Path clip, String transcript);
    }

    /**
     * The scene lines: as given; none for {@code --scene none}; without {@code --scene} the official example's
     * default, {@code scene_prompts/quiet_indoor.txt} (boson-ai/higgs-audio examples/generation.py L522-526).
     */
    static List<String> scene(List<String> given) {
        if (given.isEmpty()) return List.of(ConversationPlanner.QUIET_ROOM);
        if (given.size() == 1 && given.getFirst().strip().equalsIgnoreCase("none")) return List.of();
        return List.copyOf(given);
    }

    /** {@code --show-prompts}: each chunk's prompt between "=== chunk i/N ===" lines, without the generation model. */
    static void showPrompts(Path model, String script, Map<String, VoiceArg> clips, Map<String, String> profiles, List<String> scene,
            GenerationOptions options, Lexicon lexicon, ConversationPlanner.ClipPlacement placement, PrintStream out) {
        try (PromptPreview preview = PromptPreview.open(model)) {
            List<String> prompts = preview.prompts(request(preview::cloneVoice, script, clips, profiles, scene, options).withLexicon(lexicon)
                    .withClipPlacement(placement));
            for (int i = 0; i < prompts.size(); i++) {
                out.println("=== chunk " + (i + 1) + "/" + prompts.size() + " ===");
                out.println(prompts.get(i));
            }
        }
    }

    /** The request: cloned voices (encoded by the cloner's codec) and described ones, under their speaker names. */
    static SynthesisRequest request(Cloner cloner, String script, Map<String, VoiceArg> clips, Map<String, String> profiles, List<String> scene,
            GenerationOptions options) {
        Map<String, Voice> voices = new LinkedHashMap<>();
        for (VoiceArg a : clips.values()) voices.put(a.name, cloner.clone(a.name, a.clip, a.transcript));
        for (var e : profiles.entrySet()) voices.put(e.getKey(), Voice.described(e.getKey(), e.getValue()));
        return new SynthesisRequest(script, voices, scene, options);
    }

    /** Where the clips go: {@code --ref-audio-in-system-message} = always the system message (boson-ai/higgs-audio examples/generation.py, the flag of that name). */
    static ConversationPlanner.ClipPlacement placement(Args args) {
        return args.has("ref-audio-in-system-message") ? ConversationPlanner.ClipPlacement.SYSTEM_MESSAGE : ConversationPlanner.ClipPlacement.OFFICIAL;
    }

    /** The command line's options over the release defaults (checked before the model loads). */
    static GenerationOptions options(Args args) {
        return options(args, GenerationOptions.defaults());
    }

    /** The command line's options over {@code d}: the loaded model's defaults, from its package. */
    static GenerationOptions options(Args args, GenerationOptions d) {
        GenerationOptions o = new GenerationOptions(
                args.has("greedy"),
                args.getDouble("temperature", d.temperature()),
                args.getInt("top-k", d.topK()),
                args.getDouble("top-p", d.topP()),
                d.rasWindow(), // the release's greedy mode keeps RAS (serve_engine.py L388-394)
                d.rasMaxRepeats(),
                args.getLong("seed", d.seed()),
                args.getInt("max-frames", d.maxFrames()),
                args.getInt("context-chunks", d.chunkBufferSize()),
                args.getInt("chunk-words", d.chunkMaxWords()),
                0);
        return args.has("context") ? withContext(o, args.get("context", "")) : o;
    }

    /** {@code --context window:N} (N previous chunks, slid chunk by chunk) or {@code carry:TOKENS} (carry-over, re-based at TOKENS). */
    static GenerationOptions withContext(GenerationOptions o, String spec) {
        String[] p = spec.split(":", 2);
        int n;
        try {
            n = p.length == 2 ? Integer.parseInt(p[1].trim()) : -1;
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (p[0].equals("window") && n >= 0) return o.withChunkBufferSize(n).withContextTokens(0);
        if (p[0].equals("carry") && n > 0) return o.withContextTokens(n);
        throw new Args.UsageException("--context expects window:N (N previous chunks) or carry:TOKENS (carry-over, re-based when a prompt passes TOKENS positions), got '"
                + spec + "'");
    }

    /** {@code NAME=clip.wav[:transcript.txt]}; without a transcript file, {@code clip.txt} beside the clip. */
    record VoiceArg(String name, Path clip, String transcript) {
        static VoiceArg parse(String s) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) throw new Args.UsageException("--voice expects NAME=clip.wav[:transcript.txt], got '" + s + "'");
            String name = s.substring(0, eq).trim(), rest = s.substring(eq + 1);
            Path clip, transcript;
            // the first colon after index 1: a colon at index 1 is a Windows drive (C:\…), not the separator
            int colon = rest.indexOf(':', 2);
            if (colon > 0 && colon < rest.length() - 1) {
                clip = Path.of(rest.substring(0, colon));
                transcript = Path.of(rest.substring(colon + 1));
            } else {
                clip = Path.of(rest);
                String f = clip.getFileName().toString();
                int dot = f.lastIndexOf('.');
                transcript = clip.resolveSibling((dot > 0 ? f.substring(0, dot) : f) + ".txt");
                if (!Files.isRegularFile(transcript)) {
                    throw new IllegalArgumentException("voice " + name + ": no transcript for " + clip + " — pass --voice " + name + "=" + clip
                            + ":transcript.txt or put the clip's words in " + transcript);
                }
            }
            if (!Files.isRegularFile(clip)) throw new IllegalArgumentException("voice " + name + ": reference clip " + clip + " not found");
            String text = readText(transcript, "transcript of voice " + name).strip();
            if (text.isEmpty()) throw new IllegalArgumentException("voice " + name + ": transcript " + transcript + " is empty");
            return new VoiceArg(name, clip, text);
        }
    }

    static String readText(Path p, String what) {
        try {
            return Files.readString(p);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + p + " not found");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(what + " " + p + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + p + ": " + e.getMessage());
        }
    }

    /** The chapter's take checks beside the audio: OUT.qa.txt and OUT.qa.json. */
    static void writeQaReport(Path out, ChapterQaReport report) throws IOException {
        String name = out.getFileName().toString();
        org.higgsnarrator.io.AtomicFiles.writeString(out.resolveSibling(name + ".qa.txt"), report.text());
        org.higgsnarrator.io.AtomicFiles.writeString(out.resolveSibling(name + ".qa.json"), report.json());
    }

    /** A one-line progress bar on stderr (redrawn at most 10 times a second), or one line per chunk when not a terminal. */
    static final class ProgressBar implements SynthesisListener {
        private final PrintStream err;
        private final boolean quiet;
        private final boolean tty = System.console() != null;
        private long lastDraw;
        private final Map<String, String> voiceLabels;
        private int frameLimitChunks;
        /** Where the render stands, for an out-of-memory message. */
        int chunk, chunks, finished;
        Path parts;

        /** @param voiceLabels speaker → what reads it, shown per chunk */
        ProgressBar(PrintStream err, boolean quiet, Map<String, String> voiceLabels) {
            this.err = err;
            this.quiet = quiet;
            this.voiceLabels = voiceLabels;
        }

        @Override
        public void onResume(int done, int count) {
            finished = done;
            chunks = count;
            // always said, even with --quiet: a resumed file mixes two runs
            err.printf("resuming: %d of %d chunks already rendered (kept in %s; --fresh starts over)%n", done, count, parts);
        }

        @Override
        public void onNote(String message) {
            if (!quiet) err.println((tty ? "\r\u001b[K" : "") + "note: " + message);
        }

        @Override
        public void onChunkStart(int index, int count, ScriptChunk chunk) {
            this.chunk = index;
            this.chunks = count;
            if (quiet || tty) return;
            String voice = voiceLabels.getOrDefault(chunk.speaker(), "model's choice");
            err.printf("chunk %d/%d (%s, voice %s, %d words)%n", index + 1, count, chunk.speaker(), voice, chunk.words());
        }

        @Override
        public void onProgress(Progress p) {
            if (quiet || !tty) return;
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L) return;
            lastDraw = now;
            err.print("\r" + line(p) + "\u001b[K");
            err.flush();
        }

        @Override
        public void onRetake(int index, int attempt, int maxRetakes, String reason) {
            if (!quiet) err.printf("%schunk %d: retake %d of %d (%s)%n", tty ? "\r\u001b[K" : "", index + 1, attempt, maxRetakes, reason);
        }

        @Override
        public void onChunkDone(int index, ChunkResult result) {
            finished = index + 1;
            if (result.stop() == GenerationResult.Stop.FRAME_LIMIT) frameLimitChunks++;
        }

        static String line(Progress p) {
            double f = p.fraction();
            int width = 24, filled = Double.isNaN(f) ? 0 : (int) Math.round(f * width);
            String bar = "#".repeat(filled) + ".".repeat(width - filled);
            String eta = Double.isNaN(p.etaSeconds()) ? "ETA --:--" : "ETA " + clock(p.etaSeconds());
            return String.format("[%s] %s chunk %d/%d  %s audio  ×%.2f real-time  %s", bar, Double.isNaN(f) ? "  ?%" : String.format("%3.0f%%", f * 100),
                    p.chunk() + 1, p.chunks(), clock(p.audioSeconds()), p.realTime(), eta);
        }

        static String clock(double s) {
            long t = Math.round(s);
            return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
        }

        void done(SynthesisResult r) {
            if (quiet) return;
            if (tty) err.println();
            if (frameLimitChunks > 0) {
                err.printf("warning: %d chunk(s) hit the frame limit and may be cut off; use shorter --chunk-words or a larger --max-frames%n", frameLimitChunks);
            }
        }
    }
}
