package io.tlsnic.harness.cli;

import picocli.CommandLine;

/** Prints the tool version and the JVM it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String version = TlsnicMain.class.getPackage().getImplementationVersion();
        return new String[] {
            "tlsnic " + (version != null ? version : "(development build)"),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        };
    }
}
