package org.portraitgen.farm.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.portraitgen.api.farm.FarmJob;
import org.portraitgen.api.farm.FarmLayer;

/**
 * The batch script of one layer. It runs {@code portraitgen run-node} and retries a failed or killed attempt (the
 * node resumes from its checkpoint), appending each attempt's host and exit code to the layer's state file on the
 * shared file system, which is what status reads. An unusable input (exit 2) is not retried.
 */
final class TaskScript {

    private TaskScript() {
    }

    /** The script of a whole layer, or of its merge task when the layer is sliced. */
    static Path write(FarmJob job, FarmLayer layer, Path runDir) throws IOException {
        String extra = layer.slices() > 1 ? " --merge " + layer.slices() : "";
        return write(job, layer, runDir, layer.nodeId(), quote(runDir.resolve(layer.nodeId() + ".state")), extra);
    }

    /** The script of a layer's array tasks: each runs the slice named by the array index. */
    static Path writeSlice(FarmJob job, FarmLayer layer, Path runDir) throws IOException {
        return write(job, layer, runDir, layer.nodeId() + ".slice", quote(runDir.resolve(layer.nodeId() + ".s"))
                + "\"$SLURM_ARRAY_TASK_ID.state\"", " --slice \"$SLURM_ARRAY_TASK_ID/" + layer.slices() + "\"");
    }

    private static Path write(FarmJob job, FarmLayer layer, Path runDir, String name, String state, String extra)
            throws IOException {
        String script = """
                #!/usr/bin/env bash
                # PortraitGen farm task: node %2$s of run %1$s
                state=%3$s
                for attempt in $(seq 1 %4$d); do
                  echo "attempt=$attempt host=${SLURMD_NODENAME:-$(hostname)} job=${SLURM_JOB_ID:-} gpus=${CUDA_VISIBLE_DEVICES:-}" >> "$state"
                  %5$s run-node %6$s --node %2$s --cache %7$s%8$s
                  code=$?
                  echo "exit=$code" >> "$state"
                  if [ $code -eq 0 ]; then echo "result=succeeded" >> "$state"; exit 0; fi
                  if [ $code -eq 2 ]; then break; fi
                done
                echo "result=failed" >> "$state"
                exit 1
                """.formatted(job.runId(), layer.nodeId(), state, layer.retries() + 1,
                quote(job.launcher()), quote(job.graphFile()), quote(job.cacheDir()), extra);
        Path file = runDir.resolve(name + ".sh");
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }
}
