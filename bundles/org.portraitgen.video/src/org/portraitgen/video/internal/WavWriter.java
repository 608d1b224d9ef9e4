package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes 16-bit PCM WAV. Sound is kept uncompressed in a frame store: any source codec converts to it, trimming is
 * sample-exact, and it is encoded only once, when the video is written.
 */
final class WavWriter implements AutoCloseable {

    static final int HEADER_BYTES = 44;

    private final FileChannel out;
    private final int sampleRate;
    private final int channels;
    private long frames;

    WavWriter(Path file, int sampleRate, int channels) throws IOException {
        if (sampleRate < 1 || channels < 1) {
            throw new IllegalArgumentException("WAV needs a sample rate and channels, got " + sampleRate + " Hz, "
                    + channels + " channels");
        }
        this.out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.sampleRate = sampleRate;
        this.channels = channels;
        out.write(header(0), 0); // sizes are patched in close(), when they are known
        out.position(HEADER_BYTES);
    }

    int channels() {
        return channels;
    }

    long sampleFrames() {
        return frames;
    }

    /** Appends interleaved samples; {@code samples.remaining()} must be a multiple of the channel count. */
    void write(ShortBuffer samples) throws IOException {
        int n = samples.remaining();
        ByteBuffer bytes = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(samples);
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        frames += n / channels;
    }

    /** Appends {@code count} sample frames of silence (to fill a gap before the sound starts). */
    void writeSilence(long count) throws IOException {
        long left = count * channels;
        while (left > 0) {
            int n = (int) Math.min(left, 1 << 16);
            write(ShortBuffer.allocate(n));
            left -= n;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.write(header(frames * channels * 2), 0);
        } finally {
            out.close();
        }
    }

    private ByteBuffer header(long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
        h.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        h.putShort((short) 1).putShort((short) channels).putInt(sampleRate).putInt(sampleRate * channels * 2);
        h.putShort((short) (channels * 2)).putShort((short) 16);
        h.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return h.flip();
    }
}
