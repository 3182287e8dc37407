package org.higgsnarrator.render;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.higgsnarrator.lexicon.Lexicon;
import org.higgsnarrator.project.Project;
import org.higgsnarrator.project.Project.GenerationSettings;
import org.higgsnarrator.text.TextNormalizer;
import org.higgsnarrator.ui.script.ScriptParser;
import org.higgsnarrator.ui.script.Segment;
import org.higgsnarrator.ui.service.RenderRequest;
import org.higgsnarrator.ui.service.RenderRequest.VoiceRef;
import org.higgsnarrator.ui.vm.SegmentHash;

/**
 * What rendering a chapter of a project means, segment by segment, without the studio's UI: who speaks each segment
 * (the studio's rules), the request, its content hash and seed — so that {@code ./narrator render} finds the takes
 * the studio rendered and the studio finds render's. The project's lexicon is selected for the chapter and the
 * segment's speaker/voice; when it changes what the model reads, that enters the hash, so a rule that changes a
 * segment marks its takes out of date (and a rule that does not leaves them valid).
 */
public final class SegmentPlan {
    private SegmentPlan() {}

    /**
     * @param speaker the speaker reading it (null when the script names one the cast lacks)
     * @param request what to render (null with a problem)
     * @param hash    content hash (null with a problem)
     * @param problem why it cannot be rendered, or null
     */
    public record Planned(Segment segment, Project.Speaker speaker, RenderRequest request, String hash, String problem) {}

    public static List<Planned> chapter(Project p, Project.Chapter c, String modelId, Path assets) {
        List<Planned> out = new ArrayList<>();
        List<Project.Speaker> speakers = p.speakers();
        for (Segment s : ScriptParser.parse(c.script())) {
            Project.Speaker sp = speaker(s, speakers);
            if (sp == null) {
                out.add(new Planned(s, null, null, null, s.speakerName() != null ? "no speaker named '" + s.speakerName() + "' — add it to the cast"
                        : "[SPEAKER" + s.speakerIndex() + "] but the cast has " + speakers.size() + " speaker(s)"));
                continue;
            }
            Project.Voice v = voice(p, sp.voiceId());
            String problem = v == null ? null : problem(v);
            VoiceRef ref = v == null ? new VoiceRef.ModelChoice()
                    : v.kind() == Project.VoiceKind.CLONED ? new VoiceRef.Cloned(assets.resolve(v.clip()), v.cacheKey(), v.transcript())
                    : new VoiceRef.Described(v.description());
            Lexicon lex = lexicon(p, c, sp, v);
            String hash = hash(s.text(), ref, c.scene(), p.settings(), modelId, lex);
            RenderRequest req = new RenderRequest(s.text(), ref, c.scene(), p.settings(), seed(p.settings(), hash, 0), lex);
            out.add(new Planned(s, sp, problem == null ? req : null, problem == null ? hash : null, problem));
        }
        return out;
    }

    /** How a segment hash names the model that renders it. */
    public static String modelId(org.higgsnarrator.ui.service.BackendInfo b) {
        return b.modelName() + "/" + b.precision();
    }

    /** The studio's rule: a named speaker by name, a tag by position, narration by the first speaker. */
    public static Project.Speaker speaker(Segment s, List<Project.Speaker> speakers) {
        if (s.speakerName() != null) {
            for (Project.Speaker sp : speakers) if (sp.name().equalsIgnoreCase(s.speakerName().strip())) return sp;
            return null;
        }
        if (speakers.isEmpty()) return null;
        if (s.speakerIndex() < 0) return speakers.getFirst();
        return s.speakerIndex() < speakers.size() ? speakers.get(s.speakerIndex()) : null;
    }

    static Project.Voice voice(Project p, String id) {
        if (id == null) return null;
        for (Project.Voice v : p.voices()) if (v.id().equals(id)) return v;
        return null;
    }

    /** Same wording as the studio's voice panel. */
    static String problem(Project.Voice v) {
        if (v.kind() == Project.VoiceKind.CLONED && v.transcript().isBlank())
            return "Voice '" + v.name() + "' needs its transcript: type exactly what is said in the clip (Voices panel) — the model clones from clip + transcript.";
        if (v.kind() == Project.VoiceKind.DESCRIBED && v.description().isBlank())
            return "Voice '" + v.name() + "' has no description: describe gender, accent, pitch and tone.";
        return null;
    }

    /** The project's rules for this chapter and this speaker (by its name and its voice's name). */
    public static Lexicon lexicon(Project p, Project.Chapter c, Project.Speaker sp, Project.Voice v) {
        return lexicon(p.lexicon(), c.id(), c.title(), sp.name(), v == null ? null : v.name());
    }

    /** The same from the parts (the studio's view models hold them separately). */
    public static Lexicon lexicon(List<org.higgsnarrator.lexicon.LexiconRule> rules, String chapterId, String chapterTitle, String speaker, String voice) {
        if (rules.isEmpty()) return Lexicon.EMPTY;
        return new Lexicon(rules).forChapter(chapterId, chapterTitle).forVoice(voice == null ? List.of(speaker) : List.of(speaker, voice));
    }

    /**
     * {@link SegmentHash} of the segment, with what the lexicon makes of it when that differs from the text: the
     * rules are compared on the normalized text, which is what the engine applies them to.
     */
    public static String hash(String text, VoiceRef ref, String scene, GenerationSettings s, String model, Lexicon lexicon) {
        String hashed = text;
        if (!lexicon.isEmpty()) {
            String normalized = TextNormalizer.normalize(text.replaceAll("\\s*\\n\\s*", " ").strip());
            String spoken = lexicon.apply(normalized);
            if (!spoken.equals(normalized)) hashed = text + "\u0000lexicon\u0000" + spoken;
        }
        return SegmentHash.of(hashed, ref, scene, s, model);
    }

    /** Seed of take {@code take} of a segment: the project seed mixed with the content hash (the studio's rule). */
    public static long seed(GenerationSettings s, String hash, int take) {
        return s.seed() ^ Long.parseUnsignedLong(hash.substring(0, 15), 16) + take;
    }
}
