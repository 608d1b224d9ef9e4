package org.portraitgen.video.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names what a file looks like from its first bytes, so that a failure inside FFmpeg ("Invalid data found") can be
 * reported as what the user did wrong: an image or a text file picked instead of a video, or a damaged MP4.
 */
final class FileSniffer {

    /** What the first bytes say. */
    enum Kind {
        MP4("an MP4/QuickTime container"), MATROSKA("a Matroska/WebM container"), AVI("an AVI container"),
        Y4M("a YUV4MPEG2 raw video"), JPEG("a JPEG image"), PNG("a PNG image"), BMP("a BMP image"),
        WEBP("a WebP image"),
        TEXT("a text file"), UNKNOWN("unrecognised data");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean isImage() {
            // GIF is left to FFmpeg: an animated GIF is a legitimate short video
            return this == JPEG || this == PNG || this == BMP || this == WEBP;
        }

        boolean isContainer() {
            return this == MP4 || this == MATROSKA || this == AVI;
        }
    }

    private static final int HEAD = 4096;

    private FileSniffer() {
    }

    static Kind sniff(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        return sniff(head);
    }

    static Kind sniff(byte[] b) {
        if (b.length >= 8 && ascii(b, 4, 4).matches("ftyp|moov|mdat|free|wide|skip")) {
            return Kind.MP4;
        }
        if (startsWith(b, 0x1A, 0x45, 0xDF, 0xA3)) {
            return Kind.MATROSKA;
        }
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("AVI ")) {
            return Kind.AVI;
        }
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return Kind.WEBP;
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return Kind.JPEG;
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G')) {
            return Kind.PNG;
        }
        if (b.length >= 9 && ascii(b, 0, 9).equals("YUV4MPEG2")) {
            return Kind.Y4M; // its header is text, so test it before the text check
        }
        if (b.length >= 2 && ascii(b, 0, 2).equals("BM")) {
            return Kind.BMP;
        }
        return looksLikeText(b) ? Kind.TEXT : Kind.UNKNOWN;
    }

    /** Printable ASCII or UTF-8 with line breaks and no control bytes: what editors and logs write. */
    private static boolean looksLikeText(byte[] b) {
        if (b.length == 0) {
            return false;
        }
        for (byte x : b) {
            int c = x & 0xff;
            boolean control = c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f';
            if (control || c == 0x7f) {
                return false;
            }
        }
        // a cut at HEAD may split a multi-byte character: allow an incomplete tail
        String s = new String(b, StandardCharsets.UTF_8);
        return s.chars().limit(Math.max(0, s.length() - 2)).noneMatch(ch -> ch == 0xFFFD);
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
