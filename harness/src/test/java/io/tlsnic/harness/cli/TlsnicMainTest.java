package io.tlsnic.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line as a script sees it: exit codes, one-line errors, help everywhere. */
class TlsnicMainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture()
    {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore()
    {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void shouldRunTheDemoAndExitZeroWhenEveryByteMatches()
    {
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("demo", "--writes", "30"));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("All plaintext identical"), text);
        assertEquals(6, text.lines().filter(l -> l.endsWith("identical") && l.startsWith("TLS")).count(), text);
    }

    @Test
    void shouldRejectABadValueWithOneLineAndExitTwo()
    {
        assertEquals(TlsnicMain.EXIT_USAGE, TlsnicMain.execute("demo", "--writes", "0"));
        final String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("tlsnic: --writes must be between 1 and 1000000, got 0"), text);
        assertFalse(text.contains("Exception"), text);
        assertFalse(text.contains("\tat "), "no stack trace");
    }

    @Test
    void shouldRejectUnknownCommandsAndOptionsWithExitTwo()
    {
        assertEquals(TlsnicMain.EXIT_USAGE, TlsnicMain.execute("frobnicate"));
        assertEquals(TlsnicMain.EXIT_USAGE, TlsnicMain.execute("demo", "--no-such-option"));
        assertEquals(TlsnicMain.EXIT_USAGE, TlsnicMain.execute("bench", "--records", "99999"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Try 'tlsnic"));
    }

    @Test
    void shouldRejectAnUnknownBenchGroupWithOneLineAndExitTwo()
    {
        assertEquals(TlsnicMain.EXIT_USAGE, TlsnicMain.execute("bench", "--only", "nosuch"));
        final String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith(
            "tlsnic: --only must be one of engine, ring, contexts, hostcost, replay, threaded, got nosuch"), text);
        assertFalse(text.contains("\tat "), "no stack trace");
    }

    @Test
    void shouldPrintHelpForTheToolAndEveryCommand()
    {
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("--help"));
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("demo", "--help"));
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("bench", "--help"));
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("--version"));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Exit codes:") && text.contains("Usage: tlsnic demo") && text.contains("JVM:"), text);
        assertTrue(text.contains("--only=GROUP") && text.contains("contexts"), text);
    }
}
