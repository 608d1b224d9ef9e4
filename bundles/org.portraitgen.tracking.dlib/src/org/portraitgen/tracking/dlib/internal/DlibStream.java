package org.portraitgen.tracking.dlib.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads the primitive encodings of dlib's {@code serialize.h}, naming the file and byte offset in every error.
 * <ul>
 * <li>Integers: a control byte whose low 4 bits give the number of little-endian magnitude bytes that follow (1 to
 * 8) and whose bit 0x80 marks a negative signed value.</li>
 * <li>Floating point: a signed integer mantissa and a signed 16-bit exponent, value {@code mantissa * 2^exponent};
 * exponents 32000, 32001 and 32002 stand for +inf, -inf and NaN. (Files from before dlib 18.x wrote ASCII numbers
 * instead; their first byte has a bit of 0x70 set, which is refused here with a message saying so.)</li>
 * </ul>
 */
final class DlibStream {

    private static final int INF = 32000, NEG_INF = 32001, NAN = 32002;

    private final ByteBuffer buffer;
    private final Path file;

    DlibStream(ByteBuffer buffer, Path file) {
        this.buffer = buffer;
        this.file = file;
    }

    long position() {
        return buffer.position();
    }

    long remaining() {
        return buffer.remaining();
    }

    boolean atEnd() {
        return !buffer.hasRemaining();
    }

    /** A signed integer of at most {@code maxBytes} magnitude bytes (4 for int, 8 for long). */
    long signed(int maxBytes, String what) throws IOException {
        long at = position();
        int control = controlByte(what);
        if ((control & 0x70) != 0) {
            throw corrupt(at, what + ": control byte 0x" + Integer.toHexString(control) + " has reserved bits set");
        }
        int size = control & 0x0F;
        long magnitude = magnitude(size, maxBytes, at, what);
        return (control & 0x80) != 0 ? -magnitude : magnitude;
    }

    /** An unsigned integer (dlib's {@code unsigned long}: at most 8 bytes) that must fit a Java int. */
    int unsignedInt(String what) throws IOException {
        long at = position();
        int control = controlByte(what);
        if ((control & 0xF0) != 0) {
            throw corrupt(at, what + ": control byte 0x" + Integer.toHexString(control)
                    + " is not that of an unsigned integer");
        }
        long value = magnitude(control & 0x0F, 8, at, what);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw corrupt(at, what + " is " + Long.toUnsignedString(value) + ", too large");
        }
        return (int) value;
    }

    /** A count of items that each take at least {@code minBytesEach} bytes, checked against what is left. */
    int count(String what, int minBytesEach) throws IOException {
        long at = position();
        int n = unsignedInt(what);
        if ((long) n * minBytesEach > buffer.remaining()) {
            throw truncated(at, what + " says " + n + " items, but only " + buffer.remaining() + " bytes follow");
        }
        return n;
    }

    /** dlib's float encoding, converted as dlib does ({@code std::ldexp((float) mantissa, exponent)}). */
    float floatValue(String what) throws IOException {
        long at = position();
        if (buffer.hasRemaining() && (buffer.get(buffer.position()) & 0x70) != 0) {
            throw corrupt(at, what + ": not dlib's binary float encoding (an ASCII float of dlib before 18.x,"
                    + " or a damaged file)");
        }
        long mantissa = signed(8, what + " (mantissa)");
        int exponent = (int) signed(2, what + " (exponent)");
        return switch (exponent) {
            case INF -> Float.POSITIVE_INFINITY;
            case NEG_INF -> Float.NEGATIVE_INFINITY;
            case NAN -> Float.NaN;
            default -> ldexp((float) mantissa, exponent);
        };
    }

    /** {@code x * 2^exp} rounded once, as C's ldexp does (Math.scalb rounds once too, including subnormals). */
    private static float ldexp(float x, int exp) {
        return Math.scalb(x, Math.max(-400, Math.min(400, exp)));
    }

    private int controlByte(String what) throws IOException {
        if (!buffer.hasRemaining()) {
            throw truncated(position(), "end of file while reading " + what);
        }
        return buffer.get() & 0xFF;
    }

    private long magnitude(int size, int maxBytes, long at, String what) throws IOException {
        if (size == 0 || size > maxBytes) {
            throw corrupt(at, what + ": integer of " + size + " bytes (at most " + maxBytes + " expected)");
        }
        if (buffer.remaining() < size) {
            throw truncated(at, "end of file inside " + what);
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (buffer.get() & 0xFFL) << (8 * i);
        }
        return value;
    }

    IOException corrupt(long at, String message) {
        return new IOException(file + ": not a valid dlib shape_predictor file at byte " + at + ": " + message);
    }

    IOException truncated(long at, String message) {
        return new IOException(file + ": truncated at byte " + at + " (" + message + "); the file is "
                + buffer.limit() + " bytes; reinstall the package that provides it (Debian libdlib-data)");
    }
}
