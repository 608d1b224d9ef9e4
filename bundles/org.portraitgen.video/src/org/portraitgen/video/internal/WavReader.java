package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the 16-bit PCM WAV files that {@link WavWriter} writes (and any other plain PCM16 WAV). */
final class WavReader implements AutoCloseable {

    private final Path file;
    private final FileChannel in;
    private final int sampleRate;
    private final int channels;
    private final long dataEnd;
    private long framesRead;

    WavReader(Path file) throws IOException {
        this.file = file;
        this.in = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer riff = read(0, 12);
            if (!ascii(riff, 0).equals("RIFF") || !ascii(riff, 8).equals("WAVE")) {
                throw bad("no RIFF/WAVE header");
            }
            int rate = 0;
            int ch = 0;
            long end;
            long pos = 12;
            while (true) {
                ByteBuffer chunk = read(pos, 8);
                String id = ascii(chunk, 0);
                long size = Integer.toUnsignedLong(chunk.getInt(4));
                if (id.equals("fmt ")) {
                    ByteBuffer fmt = read(pos + 8, 16);
                    if (fmt.getShort(0) != 1 || fmt.getShort(14) != 16) {
                        throw bad("only 16-bit PCM is supported");
                    }
                    ch = fmt.getShort(2);
                    rate = fmt.getInt(4);
                } else if (id.equals("data")) {
                    if (ch < 1 || rate < 1) {
                        throw bad("data chunk before a valid fmt chunk");
                    }
                    in.position(pos + 8);
                    end = Math.min(in.size(), pos + 8 + size);
                    break;
                }
                pos += 8 + size + (size & 1);
            }
            this.sampleRate = rate;
            this.channels = ch;
            this.dataEnd = end;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    int sampleRate() {
        return sampleRate;
    }

    int channels() {
        return channels;
    }

    /** Sample frames (one sample per channel) returned so far. */
    long framesRead() {
        return framesRead;
    }

    /** Reads up to {@code maxFrames} interleaved sample frames into an array-backed buffer; empty at the end. */
    ShortBuffer read(int maxFrames) throws IOException {
        long left = (dataEnd - in.position()) / (2L * channels);
        int n = (int) Math.min(left, maxFrames);
        ByteBuffer bytes = ByteBuffer.allocate(n * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (bytes.hasRemaining() && in.read(bytes) > 0) {
            // FileChannel may return short reads
        }
        bytes.flip();
        // an array-backed buffer: JavaCPP passes arrays to native code, but reads a heap view buffer (which has
        // no array) as a null pointer, and swresample crashes on it
        short[] samples = new short[bytes.remaining() / 2];
        bytes.asShortBuffer().get(samples);
        framesRead += samples.length / channels;
        return ShortBuffer.wrap(samples);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private ByteBuffer read(long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (in.read(b, pos + b.position()) < 0) {
                throw bad("ends inside its header");
            }
        }
        return b.flip();
    }

    private IOException bad(String what) {
        return new IOException("Audio file " + file + " is not a usable WAV file: " + what);
    }

    private static String ascii(ByteBuffer b, int off) {
        byte[] s = new byte[4];
        b.get(off, s);
        return new String(s, StandardCharsets.US_ASCII);
    }
}
