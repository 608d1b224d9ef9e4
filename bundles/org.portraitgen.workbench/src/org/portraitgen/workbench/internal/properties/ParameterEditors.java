package org.portraitgen.workbench.internal.properties;

import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.ColorDialog;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.portraitgen.api.node.ParameterKind;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Makes the editing widget for one parameter from its schema: spinners with the schema's range, combos for
 * choices, file fields with a chooser, a colour swatch, a multi-line prompt. Text commits on Enter or focus loss,
 * so that one edit is one undo step rather than one per keystroke.
 */
final class ParameterEditors {
    private static final int NUMBER_DIGITS = 3;

    private ParameterEditors() {
    }

    static Control create(Composite parent, ParameterSpec spec, Object value, Consumer<Object> commit) {
        return switch (spec.kind()) {
            case INTEGER -> spinner(parent, spec, value, 0, commit);
            case NUMBER -> fitsSpinner(spec) ? spinner(parent, spec, value, NUMBER_DIGITS, commit)
                    : text(parent, value, SWT.BORDER, s -> commit.accept(Double.valueOf(s)));
            case BOOLEAN -> check(parent, value, commit);
            case ENUM -> combo(parent, spec, value, commit);
            case INPUT_FILE, OUTPUT_FILE -> file(parent, spec, value, commit);
            case COLOR -> color(parent, value, commit);
            case PROMPT -> text(parent, value, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL, commit::accept);
            case STRING -> text(parent, value, SWT.BORDER, commit::accept);
        };
    }

    private static boolean fitsSpinner(ParameterSpec spec) {
        return spec.min() != null && spec.max() != null
                && Math.abs(spec.max()) * Math.pow(10, NUMBER_DIGITS) < Integer.MAX_VALUE
                && Math.abs(spec.min()) * Math.pow(10, NUMBER_DIGITS) < Integer.MAX_VALUE;
    }

    private static Spinner spinner(Composite parent, ParameterSpec spec, Object value, int digits,
            Consumer<Object> commit) {
        Spinner s = new Spinner(parent, SWT.BORDER);
        double scale = Math.pow(10, digits);
        s.setDigits(digits);
        s.setMinimum(spec.min() == null ? Integer.MIN_VALUE : (int) Math.round(spec.min() * scale));
        s.setMaximum(spec.max() == null ? Integer.MAX_VALUE : (int) Math.round(spec.max() * scale));
        s.setIncrement(digits == 0 ? 1 : (int) Math.max(1, Math.round((s.getMaximum() - s.getMinimum()) / 100.0)));
        s.setSelection(value instanceof Number n ? (int) Math.round(n.doubleValue() * scale) : s.getMinimum());
        s.addListener(SWT.Selection, e -> commit.accept(digits == 0 ? (Object) s.getSelection()
                : (Object) (s.getSelection() / scale)));
        return s;
    }

    private static Button check(Composite parent, Object value, Consumer<Object> commit) {
        Button b = new Button(parent, SWT.CHECK);
        b.setSelection(Boolean.TRUE.equals(value) || "true".equals(String.valueOf(value)));
        b.addListener(SWT.Selection, e -> commit.accept(b.getSelection()));
        return b;
    }

    private static Combo combo(Composite parent, ParameterSpec spec, Object value, Consumer<Object> commit) {
        Combo c = new Combo(parent, SWT.READ_ONLY);
        spec.choices().forEach(c::add);
        c.select(Math.max(0, spec.choices().indexOf(String.valueOf(value))));
        c.addListener(SWT.Selection, e -> commit.accept(c.getText()));
        return c;
    }

    private static Text text(Composite parent, Object value, int style, Consumer<String> commit) {
        Text t = new Text(parent, style);
        t.setText(value == null ? "" : value.toString());
        String[] committed = {t.getText()};
        Runnable fire = () -> {
            if (!t.getText().equals(committed[0])) {
                committed[0] = t.getText();
                try {
                    commit.accept(t.getText());
                } catch (NumberFormatException ex) {
                    t.setToolTipText("not a number: " + t.getText());
                }
            }
        };
        t.addListener(SWT.DefaultSelection, e -> fire.run());
        t.addListener(SWT.FocusOut, e -> fire.run());
        if ((style & SWT.MULTI) != 0) {
            GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false);
            gd.heightHint = 4 * t.getLineHeight();
            t.setLayoutData(gd);
        }
        return t;
    }

    private static Composite file(Composite parent, ParameterSpec spec, Object value, Consumer<Object> commit) {
        Composite row = row(parent);
        Text t = text(row, value, SWT.BORDER, commit::accept);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button browse = new Button(row, SWT.PUSH);
        browse.setText("…");
        browse.setToolTipText(spec.kind() == ParameterKind.INPUT_FILE ? "Choose a file to read"
                : "Choose where to write");
        browse.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(parent.getShell(),
                    spec.kind() == ParameterKind.INPUT_FILE ? SWT.OPEN : SWT.SAVE);
            d.setFileName(t.getText());
            String chosen = d.open();
            if (chosen != null) {
                t.setText(chosen);
                commit.accept(chosen);
            }
        });
        return row;
    }

    private static Composite color(Composite parent, Object value, Consumer<Object> commit) {
        Composite row = row(parent);
        ((GridLayout) row.getLayout()).numColumns = 3;
        // a label, not a button: GTK ignores a button's background, and the swatch must show the colour
        org.eclipse.swt.widgets.Label swatch = new org.eclipse.swt.widgets.Label(row, SWT.BORDER);
        swatch.setLayoutData(new GridData(28, 20));
        Text hex = text(row, value == null ? "#808080" : value, SWT.BORDER, s -> {
            commit.accept(s);
        });
        hex.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Runnable paint = () -> parse(hex.getText()).ifPresent(rgb -> swatch.setBackground(new Color(rgb)));
        paint.run();
        hex.addListener(SWT.Modify, e -> paint.run());
        Button pick = new Button(row, SWT.PUSH);
        pick.setText("…");
        pick.setToolTipText("Choose a colour");
        pick.addListener(SWT.Selection, e -> {
            ColorDialog d = new ColorDialog(parent.getShell());
            parse(hex.getText()).ifPresent(d::setRGB);
            RGB rgb = d.open();
            if (rgb != null) {
                String s = String.format("#%02x%02x%02x", rgb.red, rgb.green, rgb.blue);
                hex.setText(s);
                commit.accept(s);
            }
        });
        return row;
    }

    private static java.util.Optional<RGB> parse(String hex) {
        if (hex == null || !hex.matches("#[0-9a-fA-F]{6}")) {
            return java.util.Optional.empty();
        }
        int v = Integer.parseInt(hex.substring(1), 16);
        return java.util.Optional.of(new RGB(v >> 16 & 255, v >> 8 & 255, v & 255));
    }

    private static Composite row(Composite parent) {
        Composite row = new Composite(parent, SWT.NONE);
        GridLayout l = new GridLayout(2, false);
        l.marginWidth = l.marginHeight = 0;
        row.setLayout(l);
        return row;
    }
}
