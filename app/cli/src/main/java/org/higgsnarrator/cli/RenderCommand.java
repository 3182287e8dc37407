package org.higgsnarrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.higgsnarrator.lexicon.Lexicon;
import org.higgsnarrator.lexicon.LexiconRule;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.ProjectStore;
import org.higgsnarrator.render.BookRender;
import org.higgsnarrator.render.RemoteSegments;
import org.higgsnarrator.ui.service.BasicNarrationService;
import org.higgsnarrator.ui.service.BackendInfo;
import org.higgsnarrator.ui.service.EngineNarrationService;
import org.higgsnarrator.ui.service.ModelChoice;

/** {@code ./narrator render}: a project → an audiobook folder (chapter files, captions, M4B, read-along EPUB). */
public final class RenderCommand implements Command {
    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "Render a project as an audiobook: chapter files, M4B, captions.";
    }

    @Override
    public String usage() {
        return """
                Usage: ./narrator render PROJECT.narrator --out DIR [options]

                Renders every chapter of a project (made by the studio or './narrator import') into DIR:
                  NN - Title.m4a|mp3|flac|wav   one file per chapter
                  NN - Title.srt|vtt            captions, one cue per sentence, timed from the generated audio
                  Title.m4b                     the whole book: chapter markers, title, author, cover (needs ffmpeg)
                  Title (read-along).epub       with --read-along: EPUB 3 with media overlays, sentence by sentence
                Segments already rendered (by the studio or an earlier run) are reused; each new take is saved into the
                project at once, and chapters whose files are complete are skipped, so an interrupted render resumes
                where it stopped when run again.

                Options:
                  --out DIR                 output folder (created)
                  --chapters LIST           e.g. 1-5 or 1,3,7-9 (default: all)
                  --format m4b|mp3|flac|wav chapter files (m4b: .m4a chapters plus the .m4b book; default m4b)
                  --captions srt|vtt        write captions per chapter
                  --read-along              write the read-along EPUB
                  --lexicon FILE            extra pronunciation rules (PLS or text), added after the project's own;
                                            repeatable
                  --server URL              render on a Higgs Audio server (./narrator serve, or Boson's higgs-audio-vllm
                                            image) instead of this computer; repeatable: up to servers × slots
                                            segments render at once, a failing server's work goes to another
                  --api-key KEY             the servers' key (default: NARRATOR_API_KEY)
                  --server-slots N          requests in flight per server (default 1)
                  --model DIR               model package (default: onnx-models/tiny under the install directory)
                  --device auto|cpu|cuda    where to run (default auto)
                  --threads N               intra-op threads (default: the runtime's)
                  --segments-at-once N      segments decoded together in one batch on this computer
                                            (default: up to 4, as memory allows; 1: one at a time). The takes are
                                            those one at a time gives; on two CPU cores 4 together render ≈ 2.7×
                                            the audio per second""";
    }

    @Override
    public int run(Args args) throws Exception {
        args.rejectUnknown(Set.of("out", "chapters", "format", "captions", "read-along", "lexicon", "model", "device", "threads", "server", "api-key",
                "server-slots", "segments-at-once"));
        if (args.positionals().size() != 1) throw new Args.UsageException("give exactly one project file");
        Path projectFile = Path.of(args.positionals().getFirst());
        Path out = args.path("out");
        if (out == null) throw new Args.UsageException("missing required option --out DIR");
        BookRender.CaptionFormat captions = switch (args.get("captions", "none").toLowerCase(Locale.ROOT)) {
            case "none" -> BookRender.CaptionFormat.NONE;
            case "srt" -> BookRender.CaptionFormat.SRT;
            case "vtt" -> BookRender.CaptionFormat.VTT;
            default -> throw new Args.UsageException("--captions takes srt or vtt, got '" + args.get("captions") + "'");
        };
        BookRender.Options options;
        try {
            options = new BookRender.Options(out, chapters(args.get("chapters", "")), args.get("format", "m4b"), captions, args.has("read-along"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        Project project = ProjectStore.load(projectFile); // a bad project fails before the model loads
        Lexicon extra = NarrateCommand.lexicons(args.all("lexicon"), System.err);
        if (!extra.isEmpty()) {
            // Extra rules go into the project itself, so that the studio shows and applies the same rules.
            java.util.List<LexiconRule> rules = new java.util.ArrayList<>(project.lexicon());
            for (LexiconRule r : extra.rules()) if (!rules.contains(r)) rules.add(r);
            ProjectStore.save(project.withLexicon(rules), projectFile);
            System.err.println("note: " + extra.rules().size() + " lexicon rule(s) added to " + projectFile.getFileName());
        }
        if (args.has("server")) return renderOnServers(args, projectFile, options);
        Path model = args.has("model") ? args.path("model") : Path.of(System.getProperty("narrator.home", ".")).resolve("onnx-models/tiny");
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model package " + model + " not found; pass --model DIR (a folder made by ./narrator export)");
        org.higgsnarrator.runtime.Device device;
        try {
            device = org.higgsnarrator.runtime.Device.parse(args.get("device", "auto"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        int atOnce = args.getInt("segments-at-once", 0);
        if (atOnce < 0 || atOnce > ModelChoice.MAX_SEGMENTS_AT_ONCE || (args.has("segments-at-once") && atOnce == 0))
            throw new Args.UsageException("--segments-at-once must be 1 to " + ModelChoice.MAX_SEGMENTS_AT_ONCE + ", got " + atOnce);
        try (EngineNarrationService service = new EngineNarrationService()) {
            BackendInfo b = service.loadModel(new ModelChoice(model, device, args.getInt("threads", 0), atOnce));
            if (!b.canRender()) throw new IllegalStateException(b.cannotRenderReason());
            if (b.randomWeights()) System.err.println("note: " + model + " is a random-weight test model: it exercises the pipeline but does not speak");
            System.err.println("segments decoded together: " + service.segmentsAtOnce() + (atOnce > 1 && service.segmentsAtOnce() == 1
                    ? " (this model decodes one sequence at a time on " + b.device() + ")" : ""));
            report(new BookRender(service, projectFile).render(options, listener()));
            var batch = service.segmentsAtOnceStats();
            if (batch != null && batch.batchSteps() > 0) {
                System.err.printf(Locale.ROOT, "decoded together: %.2f segments per decode step (%d steps, at most %d at once); prompt positions: %d"
                                + " prefilled, %d copied from the shared prefix%n", batch.sequenceSteps() / (double) batch.batchSteps(), batch.batchSteps(),
                        batch.largestBatch(), batch.prefilledPositions(), batch.sharedPositions());
            }
        }
        return 0;
    }

    /** {@code --server URL…}: the segments on Higgs Audio servers; the takes are read and the files written here. */
    private static int renderOnServers(Args args, Path projectFile, BookRender.Options options) throws Exception {
        if (args.has("model") || args.has("device") || args.has("threads") || args.has("segments-at-once"))
            throw new Args.UsageException("--model, --device, --threads and --segments-at-once choose the local engine; with --server the servers hold the"
                    + " model (--server-slots sets the requests in flight per server)");
        int slots = args.getInt("server-slots", 1);
        if (slots < 1) throw new Args.UsageException("--server-slots must be ≥ 1, got " + slots);
        String key = args.get("api-key", System.getenv("NARRATOR_API_KEY"));
        java.util.List<org.higgsnarrator.serve.RenderServer> servers = new java.util.ArrayList<>();
        for (String url : args.all("server")) {
            try {
                servers.add(new org.higgsnarrator.serve.RenderServer(url, key, java.time.Duration.ofMinutes(30)));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
        RemoteSegments remote = new RemoteSegments(servers, slots);
        System.err.println("rendering on " + servers.size() + " server(s) serving '" + remote.backend().modelName() + "': " + servers);
        try (BasicNarrationService takes = new BasicNarrationService()) { // reads the takes; the servers render
            report(new BookRender(takes, projectFile).renderOn(remote).render(options, listener()));
        }
        return 0;
    }

    private static void report(BookRender.Result r) {
        for (BookRender.ChapterOutput c : r.chapters()) {
            System.out.printf("%s%s%n", c.audio(), c.captions() == null ? "" : "  +  " + c.captions().getFileName());
        }
        if (r.book() != null) System.out.println(r.book());
        if (r.readAlong() != null) System.out.println(r.readAlong());
        System.err.printf("done: %d segment(s) rendered, %d reused%n", r.rendered(), r.reused());
    }

    private static BookRender.Listener listener() {
        return new BookRender.Listener() {
                @Override
                public void chapter(int number, int count, String title, int segments, boolean upToDate) {
                    System.err.printf("chapter %d '%s': %d segment(s)%s%n", number, title, segments, upToDate ? ", up to date (skipped)" : "");
                }

                @Override
                public void segment(int number, int segment, int segments, boolean reused, double seconds) {
                    System.err.printf("  segment %d/%d %s (%.1f s)%n", segment, segments, reused ? "reused" : "rendered", seconds);
                }

                @Override
                public void progress(int renderedSegments, int segmentsToRender, double secondsLeft) {
                    long eta = Math.round(secondsLeft);
                    System.err.printf("  %d of %d segment(s) to render done, ETA %d:%02d:%02d%n", renderedSegments, segmentsToRender,
                            eta / 3600, eta / 60 % 60, eta % 60);
                }

                @Override
                public void note(String message) {
                    System.err.println("note: " + message);
                }
            };
    }

    /** "1-5", "1,3,7-9" → {1..5}, {1,3,7,8,9}; "" → all. */
    static Set<Integer> chapters(String spec) {
        Set<Integer> out = new TreeSet<>();
        if (spec.isBlank()) return out;
        for (String part : spec.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                int a = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip()), b = dash < 0 ? a : Integer.parseInt(p.substring(dash + 1).strip());
                if (a < 1 || b < a) throw new NumberFormatException();
                for (int i = a; i <= b; i++) out.add(i);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--chapters: '" + p + "' is not a chapter number or range like 1-5 (chapters count from 1)");
            }
        }
        return out;
    }
}
