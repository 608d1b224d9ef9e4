package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.SWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.farm.FarmAdapter;
import org.portraitgen.api.farm.FarmJob;
import org.portraitgen.api.farm.FarmLayer;
import org.portraitgen.api.node.ResourceNeeds;

/**
 * The jobs part follows a render-farm run of its run cache: a two-node run submitted to a real Slurm cluster on
 * this machine (releng/slurm-cluster.sh) through the real Slurm adapter. The tasks' program is a script that
 * succeeds at once: what is under test is the view of the scheduler's state (placement, order, outcome); farm
 * execution itself is tested end to end with the product.
 */
class FarmRunsViewTest {
    @TempDir
    static Path cluster;
    @TempDir
    Path dir;
    WorkbenchFixture f;

    private static void clusterScript(String command) throws Exception {
        Path script = Path.of(System.getProperty("portraitgen.project.root"), "releng", "slurm-cluster.sh");
        Process p = new ProcessBuilder("bash", script.toString(), command, cluster.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "slurm-cluster.sh " + command + ": " + out);
    }

    @BeforeAll
    static void startCluster() throws Exception {
        clusterScript("start");
        System.setProperty("portraitgen.slurm.conf", cluster.resolve("slurm.conf").toString());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        System.clearProperty("portraitgen.slurm.conf");
        clusterScript("stop");
    }

    @BeforeEach
    void open() {
        f = new WorkbenchFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aFarmRunIsListedAndItsNodesShowWhereAndHowTheyRan() throws Exception {
        ServiceTracker<FarmAdapter, FarmAdapter> tracker = new ServiceTracker<>(
                FrameworkUtil.getBundle(getClass()).getBundleContext(), FarmAdapter.class, null);
        tracker.open();
        FarmAdapter slurm = tracker.waitForService(20_000);
        tracker.close();
        Path program = Files.writeString(dir.resolve("succeed.sh"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cache = dir.resolve("cache");
        slurm.submit(new FarmJob("view-test-1", "view test", dir.resolve("graph.json"), cache, program, null, List.of(
                new FarmLayer("prepare", List.of(), new ResourceNeeds(1, 64, 0, false), 0, false, 1),
                new FarmLayer("render", List.of("prepare"), new ResourceNeeds(1, 64, 1, false), 0, false, 1))));

        Ui.fire(f.jobs.refreshFarmRunsButton(), SWT.Selection);
        assertEquals(1, f.jobs.farmRuns().getItemCount());
        assertEquals("view-test-1", f.jobs.farmRuns().getItem(0));
        f.jobs.farmRuns().select(0);
        Ui.fire(f.jobs.farmRuns(), SWT.Selection);
        Ui.until(() -> f.jobs.summary().getText().equals("Farm run view-test-1: succeeded"), "the farm run to finish");
        String render = f.jobs.rows().get("render").state().getText();
        assertTrue(render.matches("succeeded on gpu[12]"), "the GPU node ran on a GPU machine: " + render);
        assertTrue(f.jobs.rows().get("prepare").state().getText().startsWith("succeeded on "),
                f.jobs.rows().get("prepare").state().getText());
        assertEquals(1000, f.jobs.rows().get("render").bar().getSelection());
    }
}
