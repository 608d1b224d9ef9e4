package org.portraitgen.farm.slurm.internal;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What was submitted for a run: {@code cache/farm/RUN/run.json}, written atomically. */
record RunRecord(String runId, boolean cancelled, List<Layer> layers) {

    /**
     * One layer: its Slurm job id (null when cached; the merge task's when sliced), log and state files, and for
     * sliced layers the array job's id and the slice count.
     */
    record Layer(String nodeId, String jobId, boolean cached, Path log, Path state, String arrayJobId, int slices) {

        Path sliceState(int index) {
            return state.resolveSibling(nodeId + ".s" + index + ".state");
        }

        Path sliceLog(int index) {
            return state.resolveSibling(nodeId + ".s" + index + ".log");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Path runDir(Path cacheDir, String runId) {
        return cacheDir.resolve("farm").resolve(runId);
    }

    static RunRecord read(Path cacheDir, String runId) throws IOException {
        Path file = runDir(cacheDir, runId).resolve("run.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no farm run '" + runId + "' in " + cacheDir + " (expected " + file + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException | CharConversionException e) {
            // Jackson's own message does not name the file; a bad UTF-16/32 byte comes as CharConversionException
            throw new IOException("farm run record " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : root.path("layers")) {
            try {
                layers.add(new Layer(l.path("node").asText(), l.hasNonNull("jobId") ? l.get("jobId").asText() : null,
                        l.path("cached").asBoolean(), Path.of(l.path("log").asText()),
                        Path.of(l.path("state").asText()),
                        l.hasNonNull("arrayJobId") ? l.get("arrayJobId").asText() : null, l.path("slices").asInt(1)));
            } catch (InvalidPathException e) {
                throw new IOException("farm run record " + file + " names an impossible path: " + e.getMessage(), e);
            }
        }
        return new RunRecord(root.path("runId").asText(), root.path("cancelled").asBoolean(), layers);
    }

    void write(Path cacheDir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("runId", runId);
        root.put("cancelled", cancelled);
        ArrayNode arr = root.putArray("layers");
        for (Layer l : layers) {
            ObjectNode o = arr.addObject();
            o.put("node", l.nodeId());
            o.put("jobId", l.jobId());
            o.put("cached", l.cached());
            o.put("log", l.log().toString());
            o.put("state", l.state().toString());
            o.put("arrayJobId", l.arrayJobId());
            o.put("slices", l.slices());
        }
        Path dir = Files.createDirectories(runDir(cacheDir, runId));
        Path tmp = Files.createTempFile(dir, ".run", ".json");
        Files.writeString(tmp, JSON.writeValueAsString(root));
        try {
            Files.move(tmp, dir.resolve("run.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("run.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    RunRecord cancelledNow() {
        return new RunRecord(runId, true, layers);
    }
}
