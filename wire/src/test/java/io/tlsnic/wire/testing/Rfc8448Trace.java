package io.tlsnic.wire.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tlsnic.wire.util.Hex;

/**
 * Reads the traces of RFC 8448 straight from the RFC text: every step ("{server}  derive write traffic keys for
 * handshake data:") with the labelled hex values printed under it ("key expanded (16 octets):  3f ce ..."), hex
 * that wraps over lines and page breaks included. Values are never retyped by hand.
 */
public final class Rfc8448Trace
{
    private static final Pattern STEP = Pattern.compile("^   \\{(client|server)\\}\\s+(.*?):?\\s*$");
    private static final Pattern VALUE = Pattern.compile("^\\s+([A-Za-z][A-Za-z0-9 ()\\-_\"./]*?) \\((\\d+) octets?\\):\\s*(.*)$");
    private static final Pattern HEX_LINE = Pattern.compile("^\\s+([0-9a-f]{2})( [0-9a-f]{2})*\\s*$");
    private static final Pattern SECTION = Pattern.compile("^(\\d+)\\.\\s+(\\S.*)$");

    /** One step of a trace. */
    public static final class Step
    {
        public final String section;
        public final String side;
        public final String action;
        public final List<String> labels = new ArrayList<>();
        public final List<byte[]> values = new ArrayList<>();

        Step(final String section, final String side, final String action)
        {
            this.section = section;
            this.side = side;
            this.action = action;
        }

        /**
         * @param label value label, e.g. "key expanded".
         * @return the value, or null when the step has none with that label.
         */
        public byte[] value(final String label)
        {
            final int i = labels.indexOf(label);
            return i < 0 ? null : values.get(i);
        }

        @Override
        public String toString()
        {
            return "[" + section + "] {" + side + "} " + action;
        }
    }

    private Rfc8448Trace()
    {
    }

    /** @return every step of every section, in RFC order. */
    public static List<Step> read() throws IOException
    {
        final List<String> lines = Files.readAllLines(Vectors.file("rfc8448/rfc8448.txt"), StandardCharsets.UTF_8);
        final List<Step> steps = new ArrayList<>();
        String section = "";
        Step current = null;
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final Matcher sec = SECTION.matcher(line);
            if (sec.matches())
            {
                section = sec.group(1) + ". " + sec.group(2).trim();
                current = null;
                continue;
            }
            final Matcher st = STEP.matcher(line);
            if (st.matches())
            {
                String action = st.group(2).trim();
                // A step name may wrap onto the next line ("... (same as\n      server)").
                if (!line.trim().endsWith(":") && i + 1 < lines.size() && lines.get(i + 1).startsWith("      ")
                    && !VALUE.matcher(lines.get(i + 1)).matches())
                {
                    action = action + " " + lines.get(i + 1).trim();
                }
                current = new Step(section, st.group(1), action.replaceAll(":$", ""));
                steps.add(current);
                continue;
            }
            final Matcher v = VALUE.matcher(line);
            if (v.matches() && current != null)
            {
                final int octets = Integer.parseInt(v.group(2));
                final StringBuilder hex = new StringBuilder("(empty)".equals(v.group(3).trim()) ? "" : v.group(3));
                int j = i + 1;
                while (count(hex) < octets && j < lines.size())
                {
                    final String next = lines.get(j);
                    if (HEX_LINE.matcher(next).matches())
                    {
                        hex.append(' ').append(next.trim());
                    }
                    else if (!isPageBreak(next))
                    {
                        break;
                    }
                    j++;
                }
                final byte[] bytes = Hex.decode(hex);
                if (bytes.length != octets)
                {
                    throw new IllegalStateException("RFC 8448 line " + (i + 1) + ": '" + v.group(1) + "' says "
                        + octets + " octets, read " + bytes.length);
                }
                current.labels.add(v.group(1).trim());
                current.values.add(bytes);
                i = j - 1;
            }
        }
        return steps;
    }

    private static int count(final CharSequence hex)
    {
        int digits = 0;
        for (int i = 0; i < hex.length(); i++)
        {
            if (Character.digit(hex.charAt(i), 16) >= 0)
            {
                digits++;
            }
        }
        return digits / 2;
    }

    private static boolean isPageBreak(final String line)
    {
        final String t = line.trim();
        return t.isEmpty() || t.startsWith("Thomson ") || t.startsWith("RFC 8448 ") || t.equals("\f");
    }
}
