package io.tlsnic.harness.cli;

/** Placeholder entry point; replaced by the picocli CLI. */
public final class TlsnicMain
{
    private TlsnicMain()
    {
    }

    public static void main(final String[] args)
    {
        System.out.println("tlsnic");
    }
}
