package org.higgsnarrator.ui.view;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.higgsnarrator.lexicon.Lexicon;
import org.higgsnarrator.lexicon.LexiconFiles;
import org.higgsnarrator.lexicon.LexiconRule;
import org.higgsnarrator.ui.vm.StudioViewModel;

/**
 * Edit → Pronunciation lexicon: the project's rules in the lexicon text format (docs/books.md), an Import of PLS or
 * text files, and "Try it": what the model reads for a word or phrase with the rules as typed, and its sound.
 * OK keeps the rules in the project (segments they change show as not rendered); a rule that does not parse keeps
 * the dialog open with the line and the reason.
 */
public final class LexiconDialog extends Dialog<ButtonType> {
    public LexiconDialog(Window owner, StudioViewModel vm, Dialogs dialogs) {
        initOwner(owner);
        setTitle("Pronunciation lexicon");
        setResizable(true);
        TextArea text = new TextArea(LexiconFiles.formatText(new Lexicon(vm.project.lexicon())));
        text.setId("lexiconText");
        text.setPrefColumnCount(60);
        text.setPrefRowCount(14);
        Label help = new Label("One rule per line: Hermione = Her-my-oh-nee  ·  i: nginx = engine x (ignore case)  ·  "
                + "re: \\bDr\\.(?=\\s+\\p{Lu}) = Doctor  ·  [voice Alice] / [chapter Chapter 3] / [project] scope the rules below.");
        help.setWrapText(true);
        help.getStyleClass().add("hint");
        Label error = new Label();
        error.setId("lexiconError");
        error.setWrapText(true);
        error.setStyle("-fx-text-fill: #b3261e;");
        Button importFile = new Button("Import PLS or text…");
        importFile.setOnAction(e -> dialogs.file("Import a lexicon (.pls, .xml, .txt)").ifPresent(f -> importInto(f, text, error)));

        TextField sample = new TextField();
        sample.setId("trySample");
        sample.setPromptText("A word or phrase to try, e.g. Hermione");
        HBox.setHgrow(sample, Priority.ALWAYS);
        Label spoken = new Label();
        spoken.setId("trySpoken");
        spoken.setWrapText(true);
        Button show = new Button("Show");
        show.setId("tryShow");
        show.setOnAction(e -> {
            List<LexiconRule> rules = parse(text, error);
            if (rules != null) spoken.setText("The model reads: " + vm.cast.spokenWith(rules, sample.getText()));
        });
        Button tryIt = new Button("Try it");
        tryIt.setId("tryIt");
        tryIt.setOnAction(e -> {
            List<LexiconRule> rules = parse(text, error);
            if (rules == null) return;
            spoken.setText("The model reads: " + vm.cast.spokenWith(rules, sample.getText()));
            vm.cast.tryPronunciation(rules, sample.getText());
        });
        tryIt.disableProperty().bind(vm.status.busyProperty());

        VBox box = new VBox(8, help, text, new HBox(8, importFile, error), new Label("Try it (as the narrator reads it in this chapter):"),
                new HBox(8, sample, show, tryIt), spoken);
        box.setPadding(new Insets(12));
        VBox.setVgrow(text, Priority.ALWAYS);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).addEventFilter(ActionEvent.ACTION, e -> {
            List<LexiconRule> rules = parse(text, error);
            if (rules == null) e.consume(); // stay open: the message says which line
            else vm.project.setLexicon(rules);
        });
    }

    private static List<LexiconRule> parse(TextArea text, Label error) {
        try {
            List<LexiconRule> rules = LexiconFiles.parseText(text.getText(), "lexicon").rules();
            error.setText("");
            return rules;
        } catch (IOException e) {
            error.setText(e.getMessage());
            return null;
        }
    }

    private static void importInto(Path f, TextArea text, Label error) {
        try {
            List<String> notes = new ArrayList<>();
            Lexicon l = LexiconFiles.read(f, notes);
            String body = LexiconFiles.formatText(l);
            // keep what was there; the imported rules follow
            text.setText(text.getText().strip() + "\n" + body.substring(body.indexOf('\n') + 1));
            error.setText(notes.isEmpty() ? "Imported " + l.rules().size() + " rule(s) from " + f.getFileName() : String.join(" ", notes));
        } catch (IOException | RuntimeException e) {
            error.setText("Cannot import " + f.getFileName() + ": " + e.getMessage());
        }
    }
}
