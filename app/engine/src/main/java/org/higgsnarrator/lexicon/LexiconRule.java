package org.higgsnarrator.lexicon;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One pronunciation rule. Higgs Audio reads text only (no phoneme input), so a pronunciation is fixed by respelling:
 * "Hermione" → "Her-my-oh-nee".
 *
 * @param kind        whole word, phrase (words separated by any white space) or Java regular expression
 * @param match       what to find
 * @param replacement what the model reads instead; for {@link Kind#REGEX} {@code $1}… refer to groups
 * @param ignoreCase  match regardless of case (Unicode case folding)
 * @param scope       the whole project, one chapter, or one voice
 * @param target      the chapter (its id or title) or voice (speaker or voice name) for those scopes, else ""
 */
public record LexiconRule(Kind kind, String match, String replacement, boolean ignoreCase, Scope scope, String target) {
    public enum Kind { WORD, PHRASE, REGEX }

    public enum Scope { PROJECT, CHAPTER, VOICE }

    public LexiconRule {
        Objects.requireNonNull(kind, "kind");
        if (match == null || match.isBlank()) throw new IllegalArgumentException("a lexicon rule needs something to match");
        replacement = replacement == null ? "" : replacement;
        scope = scope == null ? Scope.PROJECT : scope;
        target = target == null ? "" : target.strip();
        if (scope != Scope.PROJECT && target.isEmpty()) throw new IllegalArgumentException("a " + scope.name().toLowerCase(java.util.Locale.ROOT) + " rule needs the " + scope.name().toLowerCase(java.util.Locale.ROOT) + " it applies to");
        if (kind == Kind.REGEX) {
            try {
                Pattern p = Pattern.compile(match);
                // Group references in the replacement must exist, so that a bad rule fails when loaded, not mid-book.
                Matcher refs = Pattern.compile("(?<!\\\\)\\$(\\d)").matcher(replacement);
                int groups = p.matcher("").groupCount();
                while (refs.find()) if (Integer.parseInt(refs.group(1)) > groups) throw new IllegalArgumentException("$" + refs.group(1) + " but the expression has " + groups + " group(s)");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression /" + match + "/: " + e.getDescription(), e);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new IllegalArgumentException("bad replacement '" + replacement + "' for /" + match + "/: " + e.getMessage(), e);
            }
        }
    }

    /** A whole-word (or phrase, when {@code match} has spaces) rule for the project. */
    public static LexiconRule word(String match, String replacement, boolean ignoreCase) {
        return new LexiconRule(match.strip().contains(" ") ? Kind.PHRASE : Kind.WORD, match.strip(), replacement, ignoreCase, Scope.PROJECT, "");
    }

    public LexiconRule scoped(Scope scope, String target) {
        return new LexiconRule(kind, match, replacement, ignoreCase, scope, target);
    }

    /** The compiled pattern (word boundaries are letters/digits on neither side, so "Ann" does not match in "Anne"). */
    public Pattern pattern() {
        int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        if (kind == Kind.REGEX) return Pattern.compile(match, flags);
        StringBuilder re = new StringBuilder("(?<![\\p{L}\\p{N}_])");
        String[] words = match.strip().split("\\s+");
        for (int i = 0; i < words.length; i++) re.append(i == 0 ? "" : "\\s+").append(Pattern.quote(words[i]));
        return Pattern.compile(re.append("(?![\\p{L}\\p{N}_])").toString(), flags);
    }

    /** The replacement as {@link Matcher#replaceAll} wants it. */
    String replacementForMatcher() {
        return kind == Kind.REGEX ? replacement : Matcher.quoteReplacement(replacement);
    }
}
