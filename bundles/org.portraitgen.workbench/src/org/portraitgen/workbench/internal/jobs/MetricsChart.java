package org.portraitgen.workbench.internal.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ISeries;

/**
 * A live plot of a run's METRIC events (loss, PSNR), one line per metric name. Points arrive on the UI thread;
 * the chart redraws at most five times a second so that a fast training loop cannot flood the display.
 */
public final class MetricsChart {
    private static final int REDRAW_MS = 200;
    private final Chart chart;
    private final Map<String, List<double[]>> points = new LinkedHashMap<>();
    private final int psnrAxis;
    private boolean redrawPending;

    public MetricsChart(Composite parent) {
        chart = new Chart(parent, SWT.NONE);
        chart.getTitle().setText("Metrics");
        chart.getAxisSet().getXAxis(0).getTitle().setText("step");
        chart.getAxisSet().getYAxis(0).getTitle().setText("loss");
        // PSNR (tens of dB) and losses (below 1) share no useful scale: PSNR gets its own axis on the right
        psnrAxis = chart.getAxisSet().createYAxis();
        chart.getAxisSet().getYAxis(psnrAxis).setPosition(org.eclipse.swtchart.IAxis.Position.Secondary);
        chart.getAxisSet().getYAxis(psnrAxis).getTitle().setText("PSNR (dB)");
        // SWTChart's default blue fights with the plotted lines; keep the frame quiet
        Color ink = new Color(90, 94, 100);
        chart.getTitle().setForeground(ink);
        for (var axis : chart.getAxisSet().getAxes()) {
            axis.getTitle().setForeground(ink);
            axis.getTick().setForeground(ink);
        }
    }

    public Chart control() {
        return chart;
    }

    public void clear() {
        points.clear();
        for (ISeries<?> s : chart.getSeriesSet().getSeries()) {
            chart.getSeriesSet().deleteSeries(s.getId());
        }
        chart.redraw();
    }

    public void add(String metric, long step, double value) {
        points.computeIfAbsent(metric, m -> new ArrayList<>()).add(new double[] {step, value});
        if (!redrawPending) {
            redrawPending = true;
            chart.getDisplay().timerExec(REDRAW_MS, this::update);
        }
    }

    /** Metric names plotted so far. */
    public List<String> metrics() {
        return List.copyOf(points.keySet());
    }

    private void update() {
        redrawPending = false;
        if (chart.isDisposed()) {
            return;
        }
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : points.entrySet()) {
            ISeries<?> s = chart.getSeriesSet().getSeries(e.getKey());
            if (s == null) {
                s = chart.getSeriesSet().createSeries(ISeries.SeriesType.LINE, e.getKey());
                ((ILineSeries<?>) s).setSymbolType(ILineSeries.PlotSymbolType.NONE);
                ((ILineSeries<?>) s).setLineColor(new Color(new RGB(i * 137f % 360, 0.7f, 0.85f)));
                ((ILineSeries<?>) s).setLineWidth(2);
                if (e.getKey().toLowerCase(java.util.Locale.ROOT).contains("psnr")) {
                    s.setYAxisId(psnrAxis);
                }
            }
            s.setXSeries(e.getValue().stream().mapToDouble(p -> p[0]).toArray());
            s.setYSeries(e.getValue().stream().mapToDouble(p -> p[1]).toArray());
            i++;
        }
        chart.getAxisSet().adjustRange();
        chart.redraw();
    }
}
