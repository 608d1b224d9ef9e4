package org.portraitgen.video.internal;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.portraitgen.api.video.FrameStoreInfo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Reads and writes {@code frames.json}: the {@link FrameStoreInfo} fields plus {@code formatVersion}. Unknown fields
 * are ignored so a newer writer that only adds fields stays readable; a newer format version is refused.
 */
final class FramesJson {

    static final String FILE_NAME = "frames.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The document as stored; a record of its own so the API type carries no JSON concerns. */
    record Document(int formatVersion, int width, int height, int channels, double frameRate, int frameCount,
            List<Long> timestampsUs, String audioFile, String source) {
    }

    private FramesJson() {
    }

    static void write(FrameStoreInfo info, Path dir) throws IOException {
        Document doc = new Document(FrameStoreInfo.FORMAT_VERSION, info.width(), info.height(), info.channels(),
                info.frameRate(), info.frameCount(), info.timestampsUs(), info.audioFile(), info.source());
        MAPPER.writeValue(dir.resolve(FILE_NAME).toFile(), doc);
    }

    static FrameStoreInfo read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("Frame store " + dir + " has no " + FILE_NAME + " (not a frame store folder)");
        }
        Document doc;
        try {
            doc = MAPPER.readValue(file.toFile(), Document.class);
        } catch (JacksonException e) {
            throw new IOException("Frame store file " + file + " is not valid: " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            // Jackson's UTF-32 decoder reports a bad character this way, without the file
            throw new IOException("Frame store file " + file + " is not valid: " + e.getMessage(), e);
        }
        if (doc == null) { // the document "null"
            throw new IOException("Frame store file " + file + " holds no frame store description");
        }
        if (doc.formatVersion() < 1 || doc.formatVersion() > FrameStoreInfo.FORMAT_VERSION) {
            throw new IOException("Frame store file " + file + " has format version " + doc.formatVersion()
                    + "; this version reads 1 to " + FrameStoreInfo.FORMAT_VERSION);
        }
        if (doc.timestampsUs() == null || doc.timestampsUs().contains(null) || doc.width() < 1 || doc.height() < 1
                || (doc.channels() != 1 && doc.channels() != 3)) {
            throw new IOException("Frame store file " + file + " lacks its size, channels or timestamps");
        }
        try {
            return new FrameStoreInfo(doc.width(), doc.height(), doc.channels(), doc.frameRate(), doc.frameCount(),
                    doc.timestampsUs(), doc.audioFile(), doc.source());
        } catch (IllegalArgumentException e) {
            throw new IOException("Frame store file " + file + " is inconsistent: " + e.getMessage(), e);
        }
    }
}
