package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Walks the top-level boxes of an MP4/QuickTime file. A cut-off download or copy leaves a box that claims more bytes
 * than the file has, or no {@code moov} index at all; FFmpeg then either refuses with a generic "invalid data" or,
 * when the index comes first, quietly decodes only part of the video. Checking the box chain names the problem.
 */
final class Mp4Boxes {

    private Mp4Boxes() {
    }

    /** Throws {@link VideoFileException} with problem TRUNCATED or CORRUPT when the box chain is incomplete. */
    static void requireComplete(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long offset = 0;
            boolean moov = false;
            ByteBuffer header = ByteBuffer.allocate(16);
            while (offset < size) {
                if (size - offset < 8) {
                    throw truncated(file, "ends " + (size - offset) + " bytes into a box header at byte " + offset);
                }
                header.clear().limit(8);
                ch.read(header, offset);
                header.flip();
                long boxSize = Integer.toUnsignedLong(header.getInt());
                String type = typeName(header);
                int headerSize = 8;
                if (boxSize == 1) {
                    if (size - offset < 16) {
                        throw truncated(file, "ends " + (size - offset) + " bytes into a 64-bit box header at byte "
                                + offset);
                    }
                    header.clear().limit(8);
                    ch.read(header, offset + 8);
                    header.flip();
                    boxSize = header.getLong();
                    headerSize = 16;
                } else if (boxSize == 0) {
                    boxSize = size - offset; // "extends to the end of the file", legal for the last box
                }
                if (boxSize < headerSize) {
                    throw new VideoFileException(VideoFileException.Problem.CORRUPT, file,
                            "damaged MP4 structure: box '" + type + "' at byte " + offset + " declares " + boxSize
                                    + " bytes");
                }
                if (boxSize > size - offset) { // not offset + boxSize: a 64-bit size can overflow that
                    throw truncated(file, "box '" + type + "' at byte " + offset + " needs " + boxSize
                            + " bytes but the file ends after " + (size - offset));
                }
                moov |= type.equals("moov");
                offset += boxSize;
            }
            if (!moov) {
                throw truncated(file, "has no 'moov' index box (the recording was not finished)");
            }
        }
    }

    private static VideoFileException truncated(Path file, String detail) {
        return new VideoFileException(VideoFileException.Problem.TRUNCATED, file,
                "the MP4 file is truncated: " + detail);
    }

    private static String typeName(ByteBuffer b) {
        byte[] t = new byte[4];
        b.get(t);
        return new String(t, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    }
}
