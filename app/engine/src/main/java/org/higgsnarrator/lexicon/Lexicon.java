package org.higgsnarrator.lexicon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pronunciation lexicon: rules applied in order, each to the result of the ones before, to the text the model
 * reads — after the script is parsed and chunked and before tokenization, never to what the user edits. Chapter and
 * voice rules apply only once {@link #forChapter} / {@link #forVoice} selected them.
 */
public final class Lexicon {
    public static final Lexicon EMPTY = new Lexicon(List.of());

    private final List<LexiconRule> rules;
    private final List<Pattern> patterns;

    public Lexicon(List<LexiconRule> rules) {
        this.rules = List.copyOf(rules);
        List<Pattern> p = new ArrayList<>();
        for (LexiconRule r : this.rules) p.add(r.pattern());
        this.patterns = p;
    }

    public List<LexiconRule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public Lexicon plus(Lexicon other) {
        List<LexiconRule> all = new ArrayList<>(rules);
        all.addAll(other.rules);
        return new Lexicon(all);
    }

    /** Project rules, plus the rules of the chapter named by any of {@code keys} (id or title, case-insensitive), as project rules. */
    public Lexicon forChapter(String... keys) {
        return select(LexiconRule.Scope.CHAPTER, List.of(keys));
    }

    /** The same for a voice: {@code keys} are the speaker's name and its voice's name. */
    public Lexicon forVoice(Collection<String> keys) {
        return select(LexiconRule.Scope.VOICE, keys);
    }

    private Lexicon select(LexiconRule.Scope scope, Collection<String> keys) {
        List<LexiconRule> out = new ArrayList<>();
        for (LexiconRule r : rules) {
            if (r.scope() != scope) out.add(r);
            else if (keys.stream().anyMatch(k -> k != null && k.strip().toLowerCase(Locale.ROOT).equals(r.target().toLowerCase(Locale.ROOT)))) out.add(r.scoped(LexiconRule.Scope.PROJECT, ""));
        }
        return new Lexicon(out);
    }

    /** The text with every project-scope rule applied (chapter and voice rules not selected yet are skipped). */
    public String apply(String text) {
        String s = text;
        for (int i = 0; i < rules.size(); i++) {
            LexiconRule r = rules.get(i);
            if (r.scope() != LexiconRule.Scope.PROJECT) continue;
            s = patterns.get(i).matcher(s).replaceAll(r.replacementForMatcher());
        }
        return s;
    }

    /** Rules of any scope that would match somewhere in {@code text} (for "which rules touch this segment"). */
    public List<LexiconRule> matching(String text) {
        List<LexiconRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) if (patterns.get(i).matcher(text).find()) out.add(rules.get(i));
        return out;
    }

    /** Rules limited to a chapter, for callers that narrate without chapters (they say these are not applied). */
    public long chapterRules() {
        return rules.stream().filter(r -> r.scope() == LexiconRule.Scope.CHAPTER).count();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lexicon l && l.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return "Lexicon" + rules;
    }
}
