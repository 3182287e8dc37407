package org.higgsnarrator.ui.view;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import javafx.geometry.Bounds;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;
import org.higgsnarrator.ui.script.EffectTag;
import org.higgsnarrator.ui.script.ScriptParser;
import org.higgsnarrator.ui.script.Segment;
import org.higgsnarrator.ui.vm.ChapterViewModel;

/**
 * The script editor: a code area bound to the chapter's script, with speaker prefixes coloured per speaker, effect
 * tags marked, and the segment being played highlighted. Ctrl+T opens the effect-tag menu at the caret.
 */
public final class ScriptEditor extends StackPane {
    public static final KeyCombination TAG_MENU = new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN);

    private final CodeArea area = new CodeArea();
    private final ContextMenu tagMenu = new ContextMenu();
    private final Supplier<List<String>> speakerNames;
    private ChapterViewModel chapter;
    private boolean updating;
    private int current = -1;
    private int sentenceSegment = -1, sentence = -1;

    public ScriptEditor(Supplier<List<String>> speakerNames) {
        this.speakerNames = speakerNames;
        area.setId("script");
        area.getStyleClass().add("script-editor");
        area.setWrapText(true);
        area.setParagraphGraphicFactory(LineNumberFactory.get(area));
        area.setAccessibleText("Chapter script");
        getChildren().add(new VirtualizedScrollPane<>(area));
        for (EffectTag t : EffectTag.values()) {
            MenuItem mi = new MenuItem(t.label + "   " + t.start + (t.isSpan() ? " … " + t.end : ""));
            mi.setOnAction(e -> insertTag(t));
            tagMenu.getItems().add(mi);
        }
        area.setContextMenu(tagMenu);
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (TAG_MENU.match(e)) {
                showTagMenu();
                e.consume();
                return;
            }
            // The code area consumes Ctrl+digit itself, so the Edit menu's accelerators are matched here too.
            EffectTag[] tags = EffectTag.values();
            for (int i = 0; i < tags.length; i++) {
                if (effectShortcut(i).match(e)) {
                    insertTag(tags[i]);
                    e.consume();
                    return;
                }
            }
        });
        area.textProperty().addListener((o, a, b) -> {
            // the script is the author's input: the editor writes it like a bound text field
            if (!updating && chapter != null) chapter.script.set(b);
            restyle();
        });
        setDisable(true);
    }

    /** Ctrl+1 … Ctrl+8: the effect tags in {@link EffectTag} order. */
    public static KeyCombination effectShortcut(int i) {
        return new KeyCodeCombination(KeyCode.valueOf("DIGIT" + (i + 1)), KeyCombination.SHORTCUT_DOWN);
    }

    public CodeArea area() {
        return area;
    }

    public void setChapter(ChapterViewModel c) {
        chapter = c;
        updating = true;
        try {
            area.replaceText(c == null ? "" : c.script.get());
        } finally {
            updating = false;
        }
        current = -1;
        sentenceSegment = sentence = -1;
        setDisable(c == null);
        restyle();
    }

    public void showTagMenu() {
        Bounds b = area.getCaretBounds().orElse(area.localToScreen(area.getBoundsInLocal()));
        if (b != null) tagMenu.show(area, b.getMinX(), b.getMaxY());
    }

    /** Inserts a tag at the caret, or wraps the selection for span tags. */
    public void insertTag(EffectTag t) {
        String sel = area.getSelectedText();
        area.replaceSelection(t.apply(sel));
        area.requestFocus();
    }

    /** Highlights segment {@code index} (-1: none) and scrolls to it. */
    public void highlightSegment(int index) {
        if (index == current) return;
        current = index;
        restyle();
        if (index >= 0 && chapter != null && index < chapter.segments().size()) {
            Segment s = chapter.segments().get(index).segment();
            area.showParagraphAtTop(Math.max(0, area.offsetToPosition(s.start(), org.fxmisc.richtext.model.TwoDimensional.Bias.Forward).getMajor() - 2));
        }
    }

    /**
     * Highlights sentence {@code index} of segment {@code segmentIndex} (the one being spoken; -1: none), found in the
     * script as it is now by the captions' sentence rule ({@link ScriptParser#sentences}).
     */
    public void highlightSentence(int segmentIndex, int index) {
        if (segmentIndex == sentenceSegment && index == sentence) return;
        sentenceSegment = segmentIndex;
        sentence = index;
        restyle();
    }

    /** The script range of the highlighted sentence, or null. */
    public int[] highlightedSentence() {
        String text = area.getText();
        return sentenceRange(text, ScriptParser.parse(text), sentenceSegment, sentence);
    }

    private static int[] sentenceRange(String text, List<Segment> segs, int segment, int index) {
        if (segment < 0 || index < 0 || segment >= segs.size()) return null;
        var list = ScriptParser.sentences(text, segs.get(segment));
        return index < list.size() ? new int[] {list.get(index).start(), list.get(index).end()} : null;
    }

    /** Selects segment {@code index} in the text (from the segment list). */
    public void selectSegment(Segment s) {
        int n = area.getLength();
        area.selectRange(Math.min(s.start(), n), Math.min(s.end(), n));
        area.requestFollowCaret();
    }

    /** Index of the segment under the caret, -1 when none. */
    public int segmentAtCaret() {
        if (chapter == null) return -1;
        int pos = area.getCaretPosition();
        for (var r : chapter.segments()) if (pos >= r.segment().start() && pos <= r.segment().end()) return r.segment().index();
        return -1;
    }

    /** Re-applies highlighting (after the cast changed: speaker colours follow cast order). */
    public void restyle() {
        String text = area.getText();
        if (text.isEmpty()) return;
        List<String> names = speakerNames.get();
        List<Segment> segs = ScriptParser.parse(text);
        area.setStyleSpans(0, styles(text, segs, current, sentenceRange(text, segs, sentenceSegment, sentence), names));
    }

    private static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).equalsIgnoreCase(name)) return i;
        return Math.floorMod(name.toLowerCase(java.util.Locale.ROOT).hashCode(), 6);
    }

    /** Style classes per character: speaker prefixes (coloured by speaker), effect tags, the current segment and sentence. */
    static StyleSpans<Collection<String>> styles(String text, List<Segment> segs, int current, int[] sentenceRange, List<String> names) {
        int n = text.length();
        String[] cls = new String[n];
        boolean[] cur = new boolean[n];
        boolean[] sen = new boolean[n];
        if (sentenceRange != null) for (int i = sentenceRange[0]; i < Math.min(sentenceRange[1], n); i++) sen[i] = true;
        for (Segment s : segs) {
            if (s.hasTag()) {
                int colour = s.speakerIndex() >= 0 ? s.speakerIndex() : indexOf(names, s.speakerName());
                for (int i = s.start(); i < Math.min(s.tagEnd(), n); i++) cls[i] = "speaker-tag spk-" + (colour % 6);
            }
            if (s.index() == current) for (int i = s.start(); i < Math.min(s.end(), n); i++) cur[i] = true;
        }
        Matcher m = EffectTag.ANY.matcher(text);
        while (m.find()) for (int i = m.start(); i < m.end(); i++) cls[i] = "effect-tag";
        StyleSpansBuilder<Collection<String>> b = new StyleSpansBuilder<>();
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && java.util.Objects.equals(cls[j], cls[i]) && cur[j] == cur[i] && sen[j] == sen[i]) j++;
            List<String> st = new java.util.ArrayList<>();
            if (cls[i] != null) st.addAll(List.of(cls[i].split(" ")));
            if (cur[i]) st.add("current-segment");
            if (sen[i]) st.add("current-sentence");
            b.add(st, j - i);
            i = j;
        }
        return b.create();
    }
}
