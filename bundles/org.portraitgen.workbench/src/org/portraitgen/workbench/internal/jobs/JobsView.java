package org.portraitgen.workbench.internal.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.portraitgen.api.farm.FarmStatus;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.api.pipeline.NodeState;
import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunResult;
import org.portraitgen.workbench.internal.model.JobRunner;
import org.portraitgen.workbench.internal.model.Studio;

/**
 * The jobs part: runs the edited graph in the background, shows each node's progress with its ETA, cancels, and
 * plots the run's metrics; it also follows render-farm runs of the same run cache. Run events arrive on executor threads and are applied on the UI thread.
 */
public final class JobsView implements JobRunner.Observer {
    private static final int BAR_MAX = 1000;
    private final Studio studio;
    private final Composite root;
    private final Button run;
    private final Button cancel;
    private final Label summary;
    private final ScrolledComposite scroll;
    private final Composite rows;
    private final MetricsChart chart;
    private final SashForm sash;
    private final Map<String, Row> rowsByNode = new LinkedHashMap<>();
    private final Combo farmRun;
    private final Button refreshFarm;
    /** Asks the scheduler off the display thread; one request at a time. */
    private final ExecutorService farmPoller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "portraitgen-farm-status");
        t.setDaemon(true);
        return t;
    });
    private volatile String followedFarmRun;

    /** One node's line: name, progress bar, state and ETA. */
    public record Row(Label name, ProgressBar bar, Label state) {
    }

    public JobsView(Composite parent, Studio studio) {
        this.studio = studio;
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(3, false));
        run = button("Run graph", "Run the whole graph in the background (F5 / Ctrl+R)", this::runGraph);
        cancel = button("Cancel", "Cancel every node still waiting or running", () -> studio.jobs().cancel());
        cancel.setEnabled(false);
        summary = new Label(root, SWT.NONE);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        summary.setText("No run yet.");
        Composite farmBar = new Composite(root, SWT.NONE);
        farmBar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        GridLayout farmLayout = new GridLayout(3, false);
        farmLayout.marginWidth = 0;
        farmLayout.marginHeight = 0;
        farmBar.setLayout(farmLayout);
        new Label(farmBar, SWT.NONE).setText("Farm run:");
        farmRun = new Combo(farmBar, SWT.READ_ONLY);
        farmRun.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        farmRun.setToolTipText("Runs submitted to a render farm with this run cache ('portraitgen run --farm')");
        farmRun.addListener(SWT.Selection, e -> followFarmRun(farmRun.getText()));
        refreshFarm = new Button(farmBar, SWT.PUSH);
        refreshFarm.setText("Refresh");
        refreshFarm.setToolTipText("List the farm runs of this run cache");
        refreshFarm.addListener(SWT.Selection, e -> refreshFarmRuns());
        SashForm sash = new SashForm(root, SWT.HORIZONTAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        scroll = new ScrolledComposite(sash, SWT.V_SCROLL);
        rows = new Composite(scroll, SWT.NONE);
        rows.setLayout(new GridLayout(3, false));
        scroll.setContent(rows);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        chart = new MetricsChart(sash);
        sash.setWeights(55, 45);
        this.sash = sash;
        sash.setMaximizedControl(scroll); // the plot appears with the first metric, not as an empty frame
        studio.jobs().addObserver(this);
        root.addListener(SWT.Dispose, e -> {
            studio.jobs().removeObserver(this);
            followedFarmRun = null;
            farmPoller.shutdownNow();
        });
    }

    public Composite control() {
        return root;
    }

    public Button runButton() {
        return run;
    }

    public Button cancelButton() {
        return cancel;
    }

    public Label summary() {
        return summary;
    }

    public Map<String, Row> rows() {
        return rowsByNode;
    }

    public MetricsChart chart() {
        return chart;
    }

    public Combo farmRuns() {
        return farmRun;
    }

    public Button refreshFarmRunsButton() {
        return refreshFarm;
    }

    /** Lists the run cache's farm runs, newest first. */
    public void refreshFarmRuns() {
        List<String> runs = studio.farmRuns().runIds();
        farmRun.setItems(runs.toArray(String[]::new));
        farmRun.getParent().layout(true);
    }

    /** Shows a farm run's nodes in the rows, refreshed every second until it has finished. */
    public void followFarmRun(String runId) {
        followedFarmRun = runId;
        clearRows();
        summary.setText("Farm run " + runId + ": asking the scheduler…");
        pollFarm(runId);
    }

    private void pollFarm(String runId) {
        farmPoller.execute(() -> {
            if (!runId.equals(followedFarmRun)) {
                return;
            }
            Optional<FarmStatus> status = studio.farmRuns().status(runId);
            ui(() -> {
                if (!runId.equals(followedFarmRun)) {
                    return;
                }
                if (status.isEmpty()) {
                    summary.setText("Farm run " + runId + ": no installed farm adapter can read it");
                    return;
                }
                showFarmStatus(status.get());
                if (!status.get().finished()) {
                    root.getDisplay().timerExec(1000, () -> pollFarm(runId));
                }
            });
        });
    }

    private void showFarmStatus(FarmStatus status) {
        for (FarmStatus.LayerStatus layer : status.layers()) {
            Row r = rowsByNode.computeIfAbsent(layer.nodeId(), this::row);
            boolean done = layer.state() == FarmStatus.State.SUCCEEDED || layer.state() == FarmStatus.State.CACHED;
            r.bar().setSelection(done ? BAR_MAX : (int) Math.round(layer.fraction() * BAR_MAX));
            r.bar().setState(layer.state() == FarmStatus.State.FAILED ? SWT.ERROR
                    : layer.state() == FarmStatus.State.CANCELLED ? SWT.PAUSED : SWT.NORMAL);
            r.state().setText(layer.state().name().toLowerCase() + (layer.host() == null ? "" : " on "
                    + layer.host()) + (layer.attempts() > 1 ? " (try " + layer.attempts() + ")" : ""));
            r.state().setToolTipText((layer.message() == null ? "" : layer.message() + "\n") + "log: " + layer.log());
        }
        summary.setText("Farm run " + status.runId() + ": " + (status.succeeded() ? "succeeded"
                : status.finished() ? "did not succeed" : "in progress"));
        scroll.setMinSize(rows.computeSize(SWT.DEFAULT, SWT.DEFAULT));
        rows.layout(true, true);
    }

    private void clearRows() {
        rowsByNode.clear();
        for (var c : rows.getChildren()) {
            c.dispose();
        }
    }

    public void runGraph() {
        studio.jobs().start(studio.document().graph(), studio.baseDir(), studio.allowedRoots());
    }

    @Override
    public void started(Graph graph) {
        followedFarmRun = null;
        ui(() -> {
            clearRows();
            chart.clear();
            sash.setMaximizedControl(scroll);
            graph.nodes().forEach(n -> rowsByNode.put(n.id(), row(n.id())));
            scroll.setMinSize(rows.computeSize(SWT.DEFAULT, SWT.DEFAULT));
            rows.layout(true, true);
            run.setEnabled(false);
            cancel.setEnabled(true);
            summary.setText("Running " + graph.nodes().size() + " node(s)…");
        });
    }

    @Override
    public void event(RunEvent e) {
        ui(() -> {
            if (e.kind() == RunEvent.Kind.METRIC) {
                chart.add((e.nodeId() == null ? "" : e.nodeId() + " ") + e.metricName(), e.step(), e.value());
                if (sash.getMaximizedControl() != null) {
                    sash.setMaximizedControl(null);
                }
                return;
            }
            Row r = e.nodeId() == null ? null : rowsByNode.get(e.nodeId());
            if (r == null || e.kind() == RunEvent.Kind.LOG) {
                return;
            }
            r.bar().setSelection((int) Math.round(e.fraction() * BAR_MAX));
            r.bar().setState(e.state() == NodeState.FAILED ? SWT.ERROR
                    : e.state() == NodeState.CANCELLED || e.state() == NodeState.SKIPPED ? SWT.PAUSED : SWT.NORMAL);
            String eta = e.etaSeconds() >= 0 && !e.state().isFinal()
                    ? String.format(" · %.0f s left", e.etaSeconds()) : "";
            r.state().setText(e.state().name().toLowerCase() + eta);
            r.state().setToolTipText(e.message());
            rows.layout(new org.eclipse.swt.widgets.Control[] {r.state()});
        });
    }

    @Override
    public void finished(RunResult result) {
        ui(() -> {
            run.setEnabled(true);
            cancel.setEnabled(false);
            long ok = result.nodes().values().stream().filter(o -> o.state().isSuccess()).count();
            summary.setText(result.invalid() ? "Not started: " + result.problems().get(0).message()
                    : (result.succeeded() ? "Succeeded: " : "Finished with failures: ") + ok + " of "
                            + result.nodes().size() + " node(s) done");
            result.nodes().values().forEach(o -> {
                Row r = rowsByNode.get(o.nodeId());
                if (r != null) {
                    r.state().setText(o.state().name().toLowerCase() + String.format(" · %.1f s", o.seconds()));
                    r.state().setToolTipText(o.message());
                    if (o.state().isSuccess()) {
                        r.bar().setSelection(BAR_MAX);
                    }
                }
            });
            rows.layout(true, true);
        });
    }

    private Row row(String nodeId) {
        Label name = new Label(rows, SWT.NONE);
        name.setText(nodeId);
        ProgressBar bar = new ProgressBar(rows, SWT.HORIZONTAL | SWT.SMOOTH);
        bar.setMaximum(BAR_MAX);
        GridData gd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        gd.minimumWidth = 120;
        bar.setLayoutData(gd);
        Label state = new Label(rows, SWT.NONE);
        state.setText("waiting");
        GridData sd = new GridData(SWT.LEFT, SWT.CENTER, false, false);
        sd.widthHint = 150;
        state.setLayoutData(sd);
        // per-node cancel: a long node can be stopped while the rest of the run goes on
        org.eclipse.swt.widgets.Menu menu = new org.eclipse.swt.widgets.Menu(rows);
        org.eclipse.swt.widgets.MenuItem cancelNode = new org.eclipse.swt.widgets.MenuItem(menu, SWT.PUSH);
        cancelNode.setText("Cancel node '" + nodeId + "'");
        cancelNode.addListener(SWT.Selection, e -> studio.jobs().cancel(nodeId));
        name.setMenu(menu);
        bar.setMenu(menu);
        state.setMenu(menu);
        return new Row(name, bar, state);
    }

    private Button button(String text, String tip, Runnable action) {
        Button b = new Button(root, SWT.PUSH);
        b.setText(text);
        b.setToolTipText(tip);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }

    private void ui(Runnable r) {
        if (!root.isDisposed()) {
            root.getDisplay().asyncExec(() -> {
                if (!root.isDisposed()) {
                    r.run();
                }
            });
        }
    }
}
