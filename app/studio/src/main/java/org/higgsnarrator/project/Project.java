package org.higgsnarrator.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.higgsnarrator.lexicon.LexiconRule;
import org.higgsnarrator.decode.GenerationOptions;
import org.higgsnarrator.pkg.PackageManifest.SamplingDefaults;

/**
 * A narration project as stored in its {@code .narrator} file (JSON, see {@link ProjectStore}). Immutable: the
 * studio's view models hold the editable state and take a snapshot of it with {@code toProject()} when saving.
 * Audio (voice clips, rendered takes) lives in the assets folder beside the file; paths in here are relative to it.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; older files are upgraded on load, newer ones refused
 * @param title         book or show title (also the export's album/title tag)
 * @param speakers      the cast, in order: {@code [SPEAKER0]} in a script means the first one
 * @param voices        the project's voice library (cloned clips and text-described voices)
 * @param chapters      in reading order
 * @param settings      generation settings used for every render of this project
 * @param book          what an imported book said about itself (author, cover…); {@link BookInfo#NONE} otherwise
 * @param lexicon       pronunciation rules (project, chapter and voice scoped), applied to what the model reads
 */
public record Project(int formatVersion, String title, List<Speaker> speakers, List<Voice> voices, List<Chapter> chapters,
                      GenerationSettings settings, BookInfo book, List<LexiconRule> lexicon) {

    public static final int FORMAT_VERSION = 1;
    /** File name suffix of project files. */
    public static final String EXTENSION = ".narrator";

    public Project {
        title = title == null ? "" : title;
        speakers = copy(speakers);
        voices = copy(voices);
        chapters = copy(chapters);
        settings = settings == null ? GenerationSettings.defaults() : settings;
        book = book == null ? BookInfo.NONE : book;
        lexicon = copy(lexicon);
    }

    /** A project that is not (known to be) a book. */
    public Project(int formatVersion, String title, List<Speaker> speakers, List<Voice> voices, List<Chapter> chapters,
                   GenerationSettings settings) {
        this(formatVersion, title, speakers, voices, chapters, settings, BookInfo.NONE, List.of());
    }

    /** The same project with other chapters. */
    public Project withChapters(List<Chapter> chapters) {
        return new Project(formatVersion, title, speakers, voices, chapters, settings, book, lexicon);
    }

    /** The same project with another lexicon. */
    public Project withLexicon(List<LexiconRule> rules) {
        return new Project(formatVersion, title, speakers, voices, chapters, settings, book, rules);
    }

    /**
     * Book metadata, kept for the audiobook's tags and cover (M4B, read-along EPUB).
     *
     * @param author   author(s), "" when unknown
     * @param language BCP 47 tag, "" when unknown
     * @param cover    the cover image, relative to the assets folder, or null
     * @param source   the file the book was imported from (for information only), or null
     */
    public record BookInfo(String author, String language, String cover, String source) {
        public static final BookInfo NONE = new BookInfo("", "", null, null);

        public BookInfo {
            author = author == null ? "" : author;
            language = language == null ? "" : language;
        }
    }

    /** A new project: one narrator speaker (voice chosen by the model) and one empty chapter. */
    public static Project create(String title) {
        return new Project(FORMAT_VERSION, title, List.of(new Speaker(newId(), "Narrator", null)), List.of(),
                List.of(new Chapter(newId(), "Chapter 1", "Audio is recorded from a quiet room.", "", List.of())),
                GenerationSettings.defaults());
    }

    public static String newId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static <T> List<T> copy(List<T> list) {
        if (list == null) return List.of();
        List<T> out = new ArrayList<>(list.size());
        for (T t : list) out.add(Objects.requireNonNull(t, "null entry in a project list"));
        return List.copyOf(out);
    }

    /**
     * One person (or the narrator) reading lines.
     *
     * @param voiceId id of a {@link Voice} in the library, or null to let the model pick a voice
     */
    public record Speaker(String id, String name, String voiceId) {
        public Speaker {
            Objects.requireNonNull(id, "speaker id");
            name = name == null ? "" : name;
        }
    }

    public enum VoiceKind {
        /** Cloned from a reference clip plus its transcript. */
        CLONED,
        /** Described in words (gender, accent, pitch, timbre…), as the release's speaker profiles. */
        DESCRIBED
    }

    /**
     * A voice of the library.
     *
     * @param clip        cloned voices: the prepared 24 kHz mono clip, relative to the assets folder
     * @param transcript  cloned voices: what is said in the clip (required by the model to clone)
     * @param description described voices: the profile text, e.g. "Male, American accent, …"
     * @param source      cloned voices: the file the user dropped (for information only)
     * @param seconds     cloned voices: clip length after trimming
     * @param cacheKey    cloned voices: key of the service's cache (encoded codes), derived from the clip's content
     * @param warnings    what preparing the clip reported (resampled, trimmed, clipped…)
     */
    public record Voice(String id, String name, VoiceKind kind, String description, String clip, String transcript,
                        String source, double seconds, String cacheKey, List<String> warnings) {
        public Voice {
            Objects.requireNonNull(id, "voice id");
            Objects.requireNonNull(kind, "voice kind");
            name = name == null ? "" : name;
            description = description == null ? "" : description;
            transcript = transcript == null ? "" : transcript;
            warnings = copy(warnings);
        }

        public static Voice described(String name, String description) {
            return new Voice(newId(), name, VoiceKind.DESCRIBED, description, null, null, null, 0, null, List.of());
        }
    }

    /**
     * A chapter: its script (segments are parsed from it), its scene description and what was rendered.
     *
     * @param scene    scene description for the prompt's scene block, e.g. "Audio is recorded from a quiet room."
     * @param rendered rendered takes, keyed by the hash of what was rendered (text, voice, scene, settings, model)
     */
    public record Chapter(String id, String title, String scene, String script, List<RenderedSegment> rendered) {
        public Chapter {
            Objects.requireNonNull(id, "chapter id");
            title = title == null ? "" : title;
            scene = scene == null ? "" : scene;
            script = script == null ? "" : script;
            rendered = copy(rendered);
        }
    }

    /**
     * All takes rendered for one segment content hash; the chosen one is what playback and export use.
     */
    public record RenderedSegment(String hash, List<Take> takes, String chosenTakeId) {
        public RenderedSegment {
            Objects.requireNonNull(hash, "segment hash");
            takes = copy(takes);
        }

        public Take chosen() {
            for (Take t : takes) if (t.id().equals(chosenTakeId)) return t;
            return takes.isEmpty() ? null : takes.getLast();
        }
    }

    /**
     * One rendering of a segment.
     *
     * @param file      24 kHz mono WAV, relative to the assets folder
     * @param seed      sampling seed used
     * @param createdAt ISO-8601 instant
     * @param model     name of the model package that rendered it
     */
    public record Take(String id, String file, double seconds, long seed, String createdAt, String model) {
        public Take {
            Objects.requireNonNull(id, "take id");
            Objects.requireNonNull(file, "take file");
        }
    }

    /**
     * A project's generation settings: the engine's {@link GenerationOptions} as the project file stores them. Valid
     * values are what the engine accepts (its constructor is the one rule: nothing is clamped here or in the adapter);
     * defaults are a model package's sampling defaults ({@link #of}).
     *
     * @param temperature   sampling temperature (&gt; 0)
     * @param topK          top-k filter (0 = off)
     * @param topP          nucleus filter (1 = off)
     * @param rasWindow     repetition-aware sampling window in frames (0 = off)
     * @param rasMaxRepeats repetitions within the window that trigger a resample
     * @param maxFrames     upper bound on generated frames per segment (25 frames = 1 s)
     * @param seed          base seed; a segment's seed derives from it and the segment hash, a new take adds one
     * @param greedy        always the most likely code (temperature, top-k, top-p unused). Project files of older
     *                      versions said greedy with temperature 0; they load as greedy at the release temperature.
     */
    public record GenerationSettings(double temperature, int topK, double topP, int rasWindow, int rasMaxRepeats,
                                     int maxFrames, long seed, boolean greedy) {
        /** The studio's base seed for new projects (any fixed number: takes are reproducible from it). */
        public static final long DEFAULT_SEED = 42;

        /** A package's sampling defaults with the studio's base seed. */
        public static GenerationSettings of(SamplingDefaults s) {
            return new GenerationSettings(s.temperature(), s.topK(), s.topP(), s.rasWindow(), s.rasMaxRepeats(), s.maxFrames(), DEFAULT_SEED, false);
        }

        /** The release's defaults, for a project made before a model is loaded. */
        public static GenerationSettings defaults() {
            return of(SamplingDefaults.release());
        }

        public GenerationSettings {
            if (temperature == 0 && !greedy) { // the older files' spelling of greedy
                greedy = true;
                temperature = SamplingDefaults.release().temperature();
            }
            toOptions(seed, temperature, topK, topP, rasWindow, rasMaxRepeats, maxFrames, greedy); // the engine's rule, its message
        }

        /** Sampling settings (not greedy). */
        public GenerationSettings(double temperature, int topK, double topP, int rasWindow, int rasMaxRepeats, int maxFrames, long seed) {
            this(temperature, topK, topP, rasWindow, rasMaxRepeats, maxFrames, seed, false);
        }

        /** The engine's options for a take with {@code seed}: every value passed as it is. */
        public GenerationOptions toOptions(long takeSeed) {
            return toOptions(takeSeed, temperature, topK, topP, rasWindow, rasMaxRepeats, maxFrames, greedy);
        }

        private static GenerationOptions toOptions(long seed, double temperature, int topK, double topP, int rasWindow, int rasMaxRepeats,
                                                   int maxFrames, boolean greedy) {
            return new GenerationOptions(greedy, temperature, topK, topP, rasWindow, rasMaxRepeats, seed, maxFrames,
                    GenerationOptions.DEFAULT_CHUNK_BUFFER_SIZE, GenerationOptions.DEFAULT_CHUNK_MAX_WORDS);
        }
    }
}
