package org.portraitgen.cli.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** A grid of equally sized tiles, each with a two-line caption under it. */
final class ContactSheet {

    private static final int CAPTION = 40;
    private static final int GAP = 8;

    private final BufferedImage sheet;
    private final Graphics2D g;
    private final int tileW;
    private final int tileH;
    private final int columns;
    private int next;

    ContactSheet(int tileW, int tileH, int tiles) {
        this.tileW = tileW;
        this.tileH = tileH;
        columns = (int) Math.ceil(Math.sqrt(tiles * (double) tileH / tileW));
        int rows = (tiles + columns - 1) / columns;
        sheet = new BufferedImage(GAP + columns * (tileW + GAP), GAP + rows * (tileH + CAPTION + GAP),
                BufferedImage.TYPE_INT_RGB);
        g = sheet.createGraphics();
        g.setColor(new Color(0x202020));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    void add(BufferedImage tile, String title, String detail) {
        int[] xy = slot();
        g.drawImage(tile, xy[0], xy[1], tileW, tileH, null);
        caption(xy, title, detail);
    }

    void addNote(String title, String detail, String note) {
        int[] xy = slot();
        g.setColor(new Color(0x3a3a3a));
        g.fillRect(xy[0], xy[1], tileW, tileH);
        g.setColor(new Color(0xe08080));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(note.length() > 60 ? note.substring(0, 60) + "..." : note, xy[0] + 8, xy[1] + tileH / 2);
        caption(xy, title, detail);
    }

    BufferedImage image() {
        return sheet;
    }

    private int[] slot() {
        int i = next++;
        return new int[] {GAP + (i % columns) * (tileW + GAP), GAP + (i / columns) * (tileH + CAPTION + GAP)};
    }

    private void caption(int[] xy, String title, String detail) {
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, xy[0] + 2, xy[1] + tileH + 17);
        g.setColor(new Color(0xb0b0b0));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(detail, xy[0] + 2, xy[1] + tileH + 33);
    }

    /** Bilinear resize; for the gallery's previews, not for measurements. */
    static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g2 = out.createGraphics();
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g2.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g2.drawImage(src, 0, 0, w, h, null);
        g2.dispose();
        return out;
    }
}
