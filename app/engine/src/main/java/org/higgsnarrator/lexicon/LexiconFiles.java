package org.higgsnarrator.lexicon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.higgsnarrator.io.SecureXml;
import org.higgsnarrator.io.AtomicFiles;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Lexicon files: W3C Pronunciation Lexicon Specification 1.0 ({@code .pls}, {@code .xml}) with {@code <alias>}
 * entries, as ElevenLabs Studio reads and writes them, and a simple text format ({@code .txt}, {@code .lexicon}).
 *
 * <p>PLS: each {@code <lexeme>}'s graphemes map to its first (or {@code prefer="true"}) alias, whole word (phrase when
 * the grapheme has spaces), case-sensitive. Lexemes with only a {@code <phoneme>} are skipped with a note: Higgs
 * takes no phonemes. What PLS cannot say — regular expressions, ignoring case, chapter and voice scope — is kept in
 * attributes of our own namespace ({@value #NS}), which other PLS readers ignore, so our files round-trip.
 *
 * <p>Text format, one rule per line ({@code #} starts a comment line):
 * <pre>
 * Hermione = Her-my-oh-nee              whole word (a phrase when it has spaces), case as written
 * i: nginx = engine x                   "i:" ignores case
 * re: \bDr\.(?=\s+\p{Lu}) = Doctor      a Java regular expression ("re/i:" ignoring case); $1… in the replacement
 * [voice Alice]                         the rules below apply to the speaker or voice named Alice only
 * [chapter Chapter 3]                   … to that chapter (its title or id); [project] returns to the whole project
 * </pre>
 * The match ends at the first {@code " = "}.
 */
public final class LexiconFiles {
    public static final String PLS_NS = "http://www.w3.org/2005/01/pronunciation-lexicon";
    public static final String NS = "urn:higgs-narrator:lexicon";

    private LexiconFiles() {}

    /** Reads a lexicon file; the format follows the extension (.pls/.xml: PLS; anything else: text). */
    public static Lexicon read(Path file, List<String> notes) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pls") || n.endsWith(".xml") ? readPls(file, notes) : readText(file);
    }

    public static void write(Lexicon lexicon, Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".pls") || n.endsWith(".xml")) writePls(lexicon, file);
        else writeText(lexicon, file);
    }

    // ------------------------------------------------------------------ PLS

    public static Lexicon readPls(Path file, List<String> notes) throws IOException {
        Document d = SecureXml.parse(Files.readAllBytes(file), file, "the lexicon");
        Element root = d.getDocumentElement();
        if (!"lexicon".equals(root.getLocalName())) throw new IOException(file.getFileName() + ": not a PLS lexicon (the root element is <" + root.getLocalName() + ">, expected <lexicon>)");
        List<LexiconRule> rules = new ArrayList<>();
        int phonemeOnly = 0;
        for (Element lex : SecureXml.children(root, "lexeme")) {
            List<Element> aliases = SecureXml.children(lex, "alias");
            if (aliases.isEmpty()) {
                phonemeOnly++;
                continue;
            }
            Element alias = aliases.getFirst();
            for (Element a : aliases) if ("true".equals(a.getAttribute("prefer"))) { alias = a; break; }
            String kind = lex.getAttributeNS(NS, "kind");
            boolean ignoreCase = "true".equals(lex.getAttributeNS(NS, "ignore-case"));
            LexiconRule.Scope scope = lex.getAttributeNS(NS, "scope").isEmpty() ? LexiconRule.Scope.PROJECT
                    : LexiconRule.Scope.valueOf(lex.getAttributeNS(NS, "scope").toUpperCase(Locale.ROOT));
            String target = lex.getAttributeNS(NS, "target");
            for (Element g : SecureXml.children(lex, "grapheme")) {
                String grapheme = g.getTextContent().strip();
                if (grapheme.isEmpty()) continue;
                LexiconRule.Kind k = kind.isEmpty() ? (grapheme.contains(" ") ? LexiconRule.Kind.PHRASE : LexiconRule.Kind.WORD) : LexiconRule.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
                try {
                    rules.add(new LexiconRule(k, grapheme, alias.getTextContent().strip(), ignoreCase, scope, target));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file.getFileName() + ": lexeme '" + grapheme + "': " + e.getMessage(), e);
                }
            }
        }
        if (phonemeOnly > 0) notes.add(file.getFileName() + ": " + phonemeOnly + " lexeme(s) with only <phoneme> skipped: Higgs reads text, so give them an <alias> respelling");
        return new Lexicon(rules);
    }

    public static void writePls(Lexicon lexicon, Path file) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document d = f.newDocumentBuilder().newDocument();
            Element root = d.createElementNS(PLS_NS, "lexicon");
            root.setAttribute("version", "1.0");
            root.setAttribute("alphabet", "ipa");
            root.setAttribute("xml:lang", "en-US");
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:hn", NS);
            d.appendChild(root);
            for (LexiconRule r : lexicon.rules()) {
                Element lex = d.createElementNS(PLS_NS, "lexeme");
                if (r.kind() == LexiconRule.Kind.REGEX) lex.setAttributeNS(NS, "hn:kind", "regex");
                if (r.ignoreCase()) lex.setAttributeNS(NS, "hn:ignore-case", "true");
                if (r.scope() != LexiconRule.Scope.PROJECT) {
                    lex.setAttributeNS(NS, "hn:scope", r.scope().name().toLowerCase(Locale.ROOT));
                    lex.setAttributeNS(NS, "hn:target", r.target());
                }
                Element g = d.createElementNS(PLS_NS, "grapheme");
                g.setTextContent(r.match());
                Element a = d.createElementNS(PLS_NS, "alias");
                a.setTextContent(r.replacement());
                lex.appendChild(g);
                lex.appendChild(a);
                root.appendChild(lex);
            }
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            java.io.StringWriter w = new java.io.StringWriter();
            t.transform(new DOMSource(d), new StreamResult(w));
            AtomicFiles.writeString(file, w.toString());
        } catch (javax.xml.parsers.ParserConfigurationException | javax.xml.transform.TransformerException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ text

    public static Lexicon readText(Path file) throws IOException {
        return parseText(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    public static Lexicon parseText(String text, String name) throws IOException {
        List<LexiconRule> rules = new ArrayList<>();
        LexiconRule.Scope scope = LexiconRule.Scope.PROJECT;
        String target = "";
        int no = 0;
        for (String raw : text.split("\\r?\\n")) {
            no++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = name + " line " + no + ": ";
            if (line.startsWith("[") && line.endsWith("]")) {
                String s = line.substring(1, line.length() - 1).strip();
                String head = s.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                String rest = s.contains(" ") ? s.substring(s.indexOf(' ') + 1).strip() : "";
                switch (head) {
                    case "project" -> { scope = LexiconRule.Scope.PROJECT; target = ""; }
                    case "chapter", "voice" -> {
                        if (rest.isEmpty()) throw new IOException(where + "[" + head + "] needs a name, e.g. [" + head + (head.equals("voice") ? " Alice]" : " Chapter 3]"));
                        scope = LexiconRule.Scope.valueOf(head.toUpperCase(Locale.ROOT));
                        target = rest;
                    }
                    default -> throw new IOException(where + "unknown section [" + s + "]; use [project], [chapter NAME] or [voice NAME]");
                }
                continue;
            }
            boolean regex = false, ignoreCase = false;
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("re/i:")) { regex = true; ignoreCase = true; line = line.substring(5); }
            else if (lower.startsWith("re:")) { regex = true; line = line.substring(3); }
            else if (lower.startsWith("i:")) { ignoreCase = true; line = line.substring(2); }
            int eq = line.indexOf(" = ");
            if (eq < 0) throw new IOException(where + "expected 'word = replacement' (spaces around '='), got: " + raw.strip());
            String match = line.substring(0, eq).strip(), repl = line.substring(eq + 3).strip();
            try {
                LexiconRule r = regex ? new LexiconRule(LexiconRule.Kind.REGEX, match, repl, ignoreCase, LexiconRule.Scope.PROJECT, "") : LexiconRule.word(match, repl, ignoreCase);
                rules.add(r.scoped(scope, target));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + e.getMessage(), e);
            }
        }
        return new Lexicon(rules);
    }

    public static String formatText(Lexicon lexicon) {
        StringBuilder sb = new StringBuilder("# Higgs Narrator pronunciation lexicon: 'word = respelling' per line (see docs/books.md)\n");
        LexiconRule.Scope scope = LexiconRule.Scope.PROJECT;
        String target = "";
        for (LexiconRule r : lexicon.rules()) {
            if (r.scope() != scope || !r.target().equals(target)) {
                scope = r.scope();
                target = r.target();
                sb.append(scope == LexiconRule.Scope.PROJECT ? "[project]" : "[" + scope.name().toLowerCase(Locale.ROOT) + " " + target + "]").append('\n');
            }
            String prefix = r.kind() == LexiconRule.Kind.REGEX ? (r.ignoreCase() ? "re/i: " : "re: ") : r.ignoreCase() ? "i: " : "";
            sb.append(prefix).append(r.match()).append(" = ").append(r.replacement()).append('\n');
        }
        return sb.toString();
    }

    public static void writeText(Lexicon lexicon, Path file) throws IOException {
        AtomicFiles.writeString(file, formatText(lexicon));
    }
}
