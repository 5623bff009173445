package io.tlsnic.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opens in headless Chromium (no network: every chart is inline), every chart image loads (the page
 * sets its title to {@code charts-ok N/N} on load), and a screenshot is taken. Sweep reports too.
 */
class HtmlReportInBrowserTest
{
    private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");

    @Test
    void shouldRenderEveryChartOfAScenarioReportInHeadlessChromium(@TempDir final Path dir) throws Exception
    {
        final String chromium = ExternalTools.require("chromium", "chromium-browser", "google-chrome");
        final Simulation sim = new Simulation(ScenarioParser.parse("t", "{\"seed\": 4, \"link\": {\"lossPercent\": 3},"
            + " \"flows\": [{\"count\": 2, \"bytes\": \"256KiB\"}, {\"cipher\": \"chacha20\", \"bytes\": \"64KiB\"}]}"));
        final SimulationReport report = sim.run();
        final Path html = dir.resolve(HtmlReport.FILE);
        HtmlReport.writeScenario(html, report, sim.timelines());
        // Summary + per-flow bars + one tracker chart per offloaded direction (2 flows x 2).
        assertEquals("charts-ok 6/6", titleAfterLoad(chromium, html, dir));
        final Path shot = dir.resolve("report.png");
        ExternalTools.run(command(chromium, dir.resolve("profile2"), "--window-size=1000,2000",
            "--screenshot=" + shot, html.toUri().toString()));
        assertTrue(Files.size(shot) > 10_000, "a screenshot with content: " + Files.size(shot) + " bytes");
    }

    @Test
    void shouldRenderASweepReport(@TempDir final Path dir) throws Exception
    {
        final String chromium = ExternalTools.require("chromium", "chromium-browser", "google-chrome");
        final Path html = dir.resolve("sweep.html");
        HtmlReport.writeSweep(html, "test", new double[] {0, 1, 5}, new double[] {90, 60, 20},
            new double[] {8, 30, 50}, new double[] {2, 10, 30});
        assertEquals("charts-ok 1/1", titleAfterLoad(chromium, html, dir));
    }

    private static String titleAfterLoad(final String chromium, final Path html, final Path dir) throws Exception
    {
        final String dom = ExternalTools.run(command(chromium, dir.resolve("profile"), "--virtual-time-budget=10000",
            "--dump-dom", html.toUri().toString()));
        final Matcher m = TITLE.matcher(dom);
        assertTrue(m.find(), "a title in the DOM");
        return m.group(1);
    }

    private static List<String> command(final String chromium, final Path profile, final String... args)
    {
        // As root in a sandbox without a network: no sandbox, no GPU, no background connections.
        final List<String> c = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=" + profile));
        c.addAll(List.of(args));
        return c;
    }
}
