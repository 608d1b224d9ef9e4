package org.portraitgen.farm.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.farm.FarmAdapter;
import org.portraitgen.api.farm.FarmJob;
import org.portraitgen.api.farm.FarmLayer;
import org.portraitgen.api.farm.FarmStatus;
import org.portraitgen.api.farm.FarmStatus.LayerStatus;
import org.portraitgen.api.node.ResourceNeeds;

/**
 * Runs a graph on a Slurm cluster: one batch job per node, chained with {@code afterok} dependencies so that a
 * failed node cancels its dependants ({@code --kill-on-invalid-dep}), with GPU, CPU and memory requests from the
 * node type's resource needs. Tasks share nothing but the file system: the run cache holds inputs and results.
 */
@Component(property = FarmAdapter.ID_PROPERTY + "=slurm")
public class SlurmFarmAdapter implements FarmAdapter {

    @Override
    public String id() {
        return "slurm";
    }

    @Override
    public void submit(FarmJob job) throws IOException {
        Path runDir = Files.createDirectories(RunRecord.runDir(job.cacheDir(), job.runId()));
        Map<String, String> jobIds = new HashMap<>();
        List<RunRecord.Layer> records = new ArrayList<>();
        try {
            for (FarmLayer layer : job.layers()) {
                Path log = runDir.resolve(layer.nodeId() + ".log");
                Path state = runDir.resolve(layer.nodeId() + ".state");
                if (layer.cached()) {
                    records.add(new RunRecord.Layer(layer.nodeId(), null, true, log, state, null, 1));
                    continue;
                }
                String arrayJobId = null;
                List<String> merge = options(job, layer, log, jobIds);
                if (layer.slices() > 1) {
                    // the frame ranges run as one job array; the merge task waits for all of them
                    List<String> array = options(job, layer, runDir.resolve(layer.nodeId() + ".s%a.log"), jobIds);
                    array.add("--array=0-" + (layer.slices() - 1));
                    arrayJobId = SlurmCommands.sbatch(array, TaskScript.writeSlice(job, layer, runDir).toString())
                            .get(0);
                    jobIds.put(layer.nodeId() + "#array", arrayJobId);
                    merge.removeIf(o -> o.startsWith("--dependency=") || o.startsWith("--kill-on-invalid-dep")
                            || o.startsWith("--gres="));
                    merge.add("--dependency=afterok:" + arrayJobId);
                    merge.add("--kill-on-invalid-dep=yes");
                }
                Path script = TaskScript.write(job, layer, runDir);
                String jobId = SlurmCommands.sbatch(merge, script.toString()).get(0);
                jobIds.put(layer.nodeId(), jobId);
                records.add(new RunRecord.Layer(layer.nodeId(), jobId, false, log, state, arrayJobId,
                        layer.slices()));
                // written after each submission, so that a failure half-way can still be cancelled by run id
                new RunRecord(job.runId(), false, records).write(job.cacheDir());
            }
            new RunRecord(job.runId(), false, records).write(job.cacheDir());
        } catch (IOException e) {
            if (!jobIds.isEmpty()) {
                SlurmCommands.run(scancelCommand(jobIds.values()));
            }
            throw new IOException("submitting run " + job.runId() + " to Slurm failed; jobs already submitted "
                    + "were cancelled: " + e.getMessage(), e);
        }
    }

    private static List<String> options(FarmJob job, FarmLayer layer, Path log, Map<String, String> jobIds) {
        ResourceNeeds r = layer.resources();
        List<String> o = new ArrayList<>(List.of("--job-name=pg-" + job.runId() + "-" + layer.nodeId(),
                "--output=" + log, "--chdir=" + job.cacheDir(), "--cpus-per-task=" + r.cpus(),
                "--mem=" + r.memoryMb() + "M"));
        if (r.gpus() > 0) {
            o.add("--gres=gpu:" + r.gpus());
        }
        if (job.queue() != null && !job.queue().isBlank()) {
            o.add("--partition=" + job.queue());
        }
        // a sliced dependency is done when its merge task is, which is the id under its node name
        List<String> deps = layer.dependsOn().stream().map(jobIds::get).filter(id -> id != null).toList();
        if (!deps.isEmpty()) {
            o.add("--dependency=afterok:" + String.join(":", deps));
            o.add("--kill-on-invalid-dep=yes");
        }
        return o;
    }

    @Override
    public FarmStatus status(Path cacheDir, String runId) throws IOException {
        RunRecord run = RunRecord.read(cacheDir, runId);
        List<LayerStatus> layers = new ArrayList<>();
        for (RunRecord.Layer layer : run.layers()) {
            layers.add(LayerStates.of(layer, run.cancelled()));
        }
        return new FarmStatus(runId, layers);
    }

    @Override
    public void cancel(Path cacheDir, String runId) throws IOException {
        RunRecord run = RunRecord.read(cacheDir, runId);
        run.cancelledNow().write(cacheDir);
        List<String> ids = run.layers().stream().flatMap(l -> java.util.stream.Stream.of(l.arrayJobId(), l.jobId()))
                .filter(id -> id != null).toList();
        if (!ids.isEmpty()) {
            SlurmCommands.run(scancelCommand(ids));
        }
    }

    private static String[] scancelCommand(java.util.Collection<String> ids) {
        List<String> cmd = new ArrayList<>(List.of("scancel"));
        cmd.addAll(ids);
        return cmd.toArray(String[]::new);
    }
}
