package io.tlsnic.harness.scenario;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.tlsnic.nic.flow.TrackerState;
import io.tlsnic.nic.ring.CompletionFlyweight;
import io.tlsnic.stack.tls.device.RecordClass;

/**
 * A report people would rather look at than read: one self-contained HTML file (charts embedded as PNG data, no
 * network needed to view it) drawn with XChart. For a scenario: the summary table, records by class over time, per
 * flow direction the device's RX tracker state against TCP sequence with its resync requests, and resyncs per flow.
 * For a sweep: the device's share of records against loss. The page sets its title to {@code charts-ok N} once every
 * chart image has loaded, which a headless browser check reads.
 */
public final class HtmlReport
{
    /** Name of the HTML report in the output directory. */
    public static final String FILE = "report.html";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;
    private static final int MAX_POINTS = 20_000;
    private static final Color[] STATE_COLORS = {new Color(0x9E9E9E), new Color(0x2E7D32), new Color(0xEF6C00),
        new Color(0xC62828)};
    private static final Color[] CLASS_COLORS = {new Color(0x2E7D32), new Color(0xF9A825), new Color(0x1565C0)};

    private final StringBuilder body = new StringBuilder();
    private int charts;

    private HtmlReport()
    {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Loads the chart and font machinery now. Java2D registers shutdown hooks when it is first used, which it cannot
     * do once the JVM is shutting down; a run interrupted with Ctrl-C writes its report from a shutdown hook's
     * wait, so whoever may write a report after Ctrl-C calls this first.
     */
    public static void warmUp()
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart c = new XYChartBuilder().width(40).height(30).build();
        c.addSeries("x", new double[] {0, 1}, new double[] {0, 1});
        try
        {
            BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes a scenario's report.
     *
     * @param file the HTML file.
     * @param report the run's report.
     * @param timelines per flow, client-to-server and server-to-client timelines.
     * @throws IOException if writing fails.
     */
    public static void writeScenario(final Path file, final SimulationReport report, final List<Timeline[]> timelines)
        throws IOException
    {
        final HtmlReport h = new HtmlReport();
        h.body.append("<h1>tlsnic simulate: ").append(esc(report.scenario())).append("</h1>\n<p class=verdict>")
            .append(esc(report.verdict())).append("</p>\n<p>seed ").append(report.seed()).append(", ")
            .append(report.flowCount()).append(" flows, ").append(report.applicationBytes())
            .append(" application bytes, loss ").append(report.link().get("lossPercent")).append(" %, ")
            .append(String.format(Locale.ROOT, "%.3f", report.virtualTimeNs() / 1e9)).append(" s of virtual time</p>\n");
        h.table(report);
        h.chart("Records by class over time (flow directions with RX offload)", h.recordsOverTime(report, timelines));
        h.chart("Resync requests and records by class, per flow direction", h.perFlowBars(report, timelines));
        for (int f = 0; f < timelines.size(); f++)
        {
            for (int d = 0; d < 2; d++)
            {
                final Timeline t = timelines.get(f)[d];
                if (t.segments() > 0)
                {
                    final SimulationReport.Direction dir = report.flows().get(f).directions().get(d);
                    h.chart("Flow " + (f + 1) + " " + (d == 0 ? "c2s" : "s2c") + " (" + dir.src() + " -> " + dir.dst()
                        + "): device RX tracker state against TCP sequence", h.trackerChart(t));
                }
            }
        }
        h.write(file, "tlsnic simulate: " + report.scenario());
    }

    /**
     * Writes a sweep's report: the device's share against loss.
     *
     * @param file the HTML file.
     * @param title what was swept.
     * @param loss loss rates, percent.
     * @param device device share of records per rate, percent.
     * @param mixed mixed share, percent.
     * @param software software share, percent.
     * @throws IOException if writing fails.
     */
    public static void writeSweep(final Path file, final String title, final double[] loss, final double[] device,
        final double[] mixed, final double[] software) throws IOException
    {
        final HtmlReport h = new HtmlReport();
        h.body.append("<h1>tlsnic sweep</h1>\n<p>").append(esc(title)).append("</p>\n");
        final XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("loss %")
            .yAxisTitle("share of records %").build();
        style(c);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        c.addSeries("device", loss, device).setMarkerColor(CLASS_COLORS[0]).setLineColor(CLASS_COLORS[0]);
        c.addSeries("mixed", loss, mixed).setMarkerColor(CLASS_COLORS[1]).setLineColor(CLASS_COLORS[1]);
        c.addSeries("software", loss, software).setMarkerColor(CLASS_COLORS[2]).setLineColor(CLASS_COLORS[2]);
        h.chart("Device share of records against loss", c);
        h.body.append("<table><tr><th>loss %</th><th>device %</th><th>mixed %</th><th>software %</th></tr>\n");
        for (int i = 0; i < loss.length; i++)
        {
            h.body.append(String.format(Locale.ROOT, "<tr><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>%n",
                loss[i], device[i], mixed[i], software[i]));
        }
        h.body.append("</table>\n");
        h.write(file, "tlsnic sweep");
    }

    private void table(final SimulationReport report)
    {
        body.append("<table><tr><th>flow</th><th>dir</th><th>src &rarr; dst</th><th>suite</th><th>workload</th>"
            + "<th>TX</th><th>RX</th><th>records</th><th>device</th><th>mixed</th><th>software</th><th>resyncs</th>"
            + "<th>bytes</th><th>verdict</th></tr>\n");
        for (final SimulationReport.Flow f : report.flows())
        {
            for (int d = 0; d < f.directions().size(); d++)
            {
                final SimulationReport.Direction x = f.directions().get(d);
                body.append("<tr><td>").append(f.flow()).append("</td><td>").append(d == 0 ? "c2s" : "s2c")
                    .append("</td><td>").append(esc(x.src() + " -> " + x.dst())).append("</td><td>")
                    .append(esc(x.cipher())).append("</td><td>").append(esc(f.workload())).append("</td><td>")
                    .append(x.txOffload()).append("</td><td>").append(x.rxOffload()).append("</td><td>")
                    .append(x.records()).append("</td><td>").append(x.recordsDevice()).append("</td><td>")
                    .append(x.recordsMixed()).append("</td><td>").append(x.recordsSoftware()).append("</td><td>")
                    .append(x.rxResyncs()).append("</td><td>").append(x.plaintextBytes()).append("</td><td>")
                    .append(esc(f.failure() != null ? f.failure() : x.verdict())).append("</td></tr>\n");
            }
        }
        body.append("</table>\n");
    }

    private XYChart recordsOverTime(final SimulationReport report, final List<Timeline[]> timelines)
    {
        final List<long[]> all = new ArrayList<>();
        for (int f = 0; f < timelines.size(); f++)
        {
            for (int d = 0; d < 2; d++)
            {
                final Timeline t = timelines.get(f)[d];
                if (!"device".equals(report.flows().get(f).directions().get(d).rxOffload()))
                {
                    continue;
                }
                for (int i = 0; i < t.records(); i++)
                {
                    all.add(new long[] {t.recordTimeNs(i), t.recordClass(i)});
                }
            }
        }
        all.sort((x, y) -> Long.compare(x[0], y[0]));
        final XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("virtual time (ms)")
            .yAxisTitle("records delivered (cumulative)").build();
        style(c);
        final String[] names = {"device", "mixed", "software"};
        final RecordClass[] classes = {RecordClass.DEVICE, RecordClass.MIXED, RecordClass.SOFTWARE};
        final int step = Math.max(1, all.size() / MAX_POINTS);
        for (int k = 0; k < 3; k++)
        {
            final int wanted = classes[k].ordinal();
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            long count = 0;
            x.add(0.0);
            y.add(0.0);
            for (int i = 0; i < all.size(); i++)
            {
                if (all.get(i)[1] == wanted)
                {
                    count++;
                }
                if (i % step == 0 || i == all.size() - 1)
                {
                    x.add(all.get(i)[0] / 1e6);
                    y.add((double)count);
                }
            }
            final XYSeries s = c.addSeries(names[k], x, y);
            s.setMarker(SeriesMarkers.NONE).setLineColor(CLASS_COLORS[k]);
        }
        return c;
    }

    private CategoryChart perFlowBars(final SimulationReport report, final List<Timeline[]> timelines)
    {
        final List<String> names = new ArrayList<>();
        final List<Long> device = new ArrayList<>();
        final List<Long> mixed = new ArrayList<>();
        final List<Long> software = new ArrayList<>();
        final List<Long> resync = new ArrayList<>();
        for (int f = 0; f < report.flows().size(); f++)
        {
            for (int d = 0; d < 2; d++)
            {
                final SimulationReport.Direction x = report.flows().get(f).directions().get(d);
                names.add((f + 1) + (d == 0 ? " c2s" : " s2c"));
                device.add(x.recordsDevice());
                mixed.add(x.recordsMixed());
                software.add(x.recordsSoftware());
                final Timeline t = timelines.get(f)[d];
                long requests = 0;
                for (int i = 0; i < t.segments(); i++)
                {
                    requests += t.segmentStatus(i) == CompletionFlyweight.TLS_RESYNC_REQUEST ? 1 : 0;
                }
                resync.add(requests);
            }
        }
        final CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("flow direction")
            .yAxisTitle("count").build();
        style(c);
        c.getStyler().setOverlapped(false).setXAxisLabelRotation(45);
        c.addSeries("records: device", names, device).setFillColor(CLASS_COLORS[0]);
        c.addSeries("records: mixed", names, mixed).setFillColor(CLASS_COLORS[1]);
        c.addSeries("records: software", names, software).setFillColor(CLASS_COLORS[2]);
        c.addSeries("segments reported as resync request", names, resync).setFillColor(STATE_COLORS[3]);
        return c;
    }

    private XYChart trackerChart(final Timeline t)
    {
        final XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("virtual time (ms)")
            .yAxisTitle("TCP sequence from the first segment (KiB)").build();
        style(c);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(3);
        final int step = Math.max(1, t.segments() / MAX_POINTS);
        final TrackerState[] states = TrackerState.values();
        for (int s = 0; s < states.length; s++)
        {
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (int i = 0; i < t.segments(); i++)
            {
                // Every segment off TRACKING is kept; TRACKING ones are thinned to keep the chart light.
                if (t.segmentState(i) == s && (s != TrackerState.TRACKING.ordinal() || i % step == 0))
                {
                    x.add(t.segmentTimeNs(i) / 1e6);
                    y.add(t.segmentSeq(i) / 1024.0);
                }
            }
            if (!x.isEmpty())
            {
                final XYSeries series = c.addSeries("tracker " + states[s].name(), x, y);
                series.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(STATE_COLORS[s]);
            }
        }
        final List<Double> rx = new ArrayList<>();
        final List<Double> ry = new ArrayList<>();
        for (int i = 0; i < t.segments(); i++)
        {
            if (t.segmentStatus(i) == CompletionFlyweight.TLS_RESYNC_REQUEST)
            {
                rx.add(t.segmentTimeNs(i) / 1e6);
                ry.add(t.segmentSeq(i) / 1024.0);
            }
        }
        if (!rx.isEmpty())
        {
            final XYSeries series = c.addSeries("resync request", rx, ry);
            series.setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.BLACK);
        }
        if (c.getSeriesMap().isEmpty())
        {
            c.addSeries("no segments", new double[] {0}, new double[] {0});
        }
        return c;
    }

    private static void style(final Chart<?, ?> c)
    {
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setChartBackgroundColor(Color.WHITE)
            .setAntiAlias(true);
        if (c instanceof XYChart)
        {
            ((XYChart)c).getStyler().setYAxisTickMarkSpacingHint(60).setXAxisTickMarkSpacingHint(90);
        }
    }

    private void chart(final String title, final Chart<?, ?> chart) throws IOException
    {
        final byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        charts++;
        body.append("<h2>").append(esc(title)).append("</h2>\n<img class=chart alt=\"").append(esc(title))
            .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
            .append("\">\n");
    }

    private void write(final Path file, final String title) throws IOException
    {
        final String html = "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>" + esc(title)
            + "</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
            + "font-size:12px}td,th{border:1px solid #ccc;padding:2px 5px;text-align:right;white-space:nowrap}th{background:#f0f0f0}"
            + ".verdict{font-weight:bold}img.chart{display:block;margin:1em 0;border:1px solid #ddd}</style>\n"
            + "</head><body>\n" + body + "<script>\nwindow.addEventListener('load',function(){var imgs=document.querySelectorAll('img.chart');"
            + "var ok=0;for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&imgs[i].naturalWidth>0){ok++;}}"
            + "document.title=(ok===imgs.length?'charts-ok ':'charts-broken ')+ok+'/'+" + charts + ";});\n"
            + "</script>\n</body></html>\n";
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static String esc(final String s)
    {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
