package io.tlsnic.harness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import javax.crypto.Cipher;

import io.tlsnic.wire.crypto.AesGcmStream;

/** What a benchmark figure depends on: JDK, CPU, crypto provider, engine. Printed with every table. */
public final class BenchEnvironment
{
    private BenchEnvironment()
    {
    }

    /** @return e.g. "OpenJDK 64-Bit Server VM 25.0.3 (Eclipse Adoptium)". */
    public static String jdk()
    {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " ("
            + System.getProperty("java.vendor") + ")";
    }

    /** @return the CPU model from /proc/cpuinfo and the number of processors. */
    public static String cpu()
    {
        String model = System.getProperty("os.arch");
        try
        {
            final Optional<String> line = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).findFirst();
            if (line.isPresent())
            {
                model = line.get().substring(line.get().indexOf(':') + 1).trim();
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // Not Linux: the architecture name will do.
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** @return the provider that serves AES/GCM/NoPadding and the engine behind the incremental AES-GCM state. */
    public static String crypto()
    {
        try
        {
            final String bouncyCastle = BcLtsGcm.describeIfLoaded();
            return "AES/GCM/NoPadding from " + Cipher.getInstance("AES/GCM/NoPadding").getProvider()
                + "; engine: " + AesGcmStream.engineName() + "; heap byte[] buffers"
                + (bouncyCastle == null ? "" : "; " + bouncyCastle);
        }
        catch (final java.security.GeneralSecurityException e)
        {
            return "AES-GCM unavailable: " + e.getMessage();
        }
    }
}
