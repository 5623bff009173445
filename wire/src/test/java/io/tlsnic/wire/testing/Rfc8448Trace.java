package io.tlsnic.wire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the traces of RFC 8448 as printed: sections ("3.  Simple 1-RTT Handshake"), steps
 * ("   {server}  derive write traffic keys for handshake data:") and their values
 * ("      key expanded (16 octets):  3f ce 51 ..." continued on indented lines, across page breaks).
 */
public final class Rfc8448Trace
{
    private static final Pattern SECTION = Pattern.compile("^(\\d+)\\.\\s+(\\S.*)$");
    private static final Pattern STEP = Pattern.compile("^ {3}\\{(client|server)\\}\\s+(\\S.*)$");
    private static final Pattern VALUE = Pattern.compile("^ {6}(\\S.*?) \\((\\d+) octets?\\):\\s*(.*)$");
    private static final Pattern HEX_LINE = Pattern.compile("^\\s*[0-9a-f]{2}(\\s+[0-9a-f]{2})*\\s*$");

    /** One {client} or {server} step with its printed values. */
    public static final class Step
    {
        public final int section;
        public final String actor;
        public final String title;
        public final Map<String, byte[]> values = new LinkedHashMap<>();

        Step(final int section, final String actor, final String title)
        {
            this.section = section;
            this.actor = actor;
            this.title = title;
        }

        public byte[] value(final String label)
        {
            final byte[] value = values.get(label);
            if (value == null)
            {
                throw new AssertionError("step '" + this + "' has no value '" + label + "', only " + values.keySet());
            }
            return value;
        }

        public boolean has(final String label)
        {
            return values.containsKey(label);
        }

        @Override
        public String toString()
        {
            return section + " {" + actor + "} " + title;
        }
    }

    private Rfc8448Trace()
    {
    }

    /** @return every step of the RFC 8448 text in {@code vectors/rfc8448/}. */
    public static List<Step> read() throws IOException
    {
        return parse(Vectors.file("rfc8448/rfc8448.txt"));
    }

    public static List<Step> parse(final Path path) throws IOException
    {
        final List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        final List<Step> steps = new ArrayList<>();
        int section = 0;
        Step step = null;
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final Matcher sectionMatch = SECTION.matcher(line);
            final Matcher stepMatch = STEP.matcher(line);
            final Matcher valueMatch = VALUE.matcher(line);
            if (sectionMatch.matches())
            {
                section = Integer.parseInt(sectionMatch.group(1));
                step = null;
            }
            else if (stepMatch.matches())
            {
                final String title = stepMatch.group(2).strip();
                step = new Step(section, stepMatch.group(1), title.endsWith(":") ?
                    title.substring(0, title.length() - 1) : title);
                steps.add(step);
            }
            else if (valueMatch.matches() && step != null)
            {
                final int length = Integer.parseInt(valueMatch.group(2));
                final StringBuilder hex = new StringBuilder();
                String rest = valueMatch.group(3);
                if (length == 0)
                {
                    rest = "";
                }
                hex.append(rest.replaceAll("\\s+", ""));
                // Continuation lines are indented hex; page footers and headers in between are skipped.
                while (hex.length() < 2 * length)
                {
                    final String next = lines.get(++i);
                    if (STEP.matcher(next).matches() || VALUE.matcher(next).matches())
                    {
                        throw new IllegalStateException("line " + (i + 1) + ": value '" + valueMatch.group(1) +
                            "' ended after " + hex.length() / 2 + " of " + length + " octets");
                    }
                    if (HEX_LINE.matcher(next).matches())
                    {
                        hex.append(next.replaceAll("\\s+", ""));
                    }
                }
                if (hex.length() != 2 * length)
                {
                    throw new IllegalStateException("line " + (i + 1) + ": value '" + valueMatch.group(1) + "' has " +
                        hex.length() / 2 + " octets, expected " + length);
                }
                if (step.values.put(valueMatch.group(1), HexFormat.of().parseHex(hex)) != null)
                {
                    throw new IllegalStateException("line " + (i + 1) + ": value '" + valueMatch.group(1) +
                        "' appears twice in step '" + step + "'");
                }
            }
        }
        return steps;
    }

    public static Step find(final List<Step> steps, final int section, final String actor, final String title)
    {
        for (final Step step : steps)
        {
            if (step.section == section && step.actor.equals(actor) && step.title.equals(title))
            {
                return step;
            }
        }
        throw new AssertionError("no step " + section + " {" + actor + "} " + title);
    }
}
