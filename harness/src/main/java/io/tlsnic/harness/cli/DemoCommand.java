package io.tlsnic.harness.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.tlsnic.harness.demo.RecordDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsnic demo}: the record layer end to end, software sender to streaming device receiver. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Record layer end to end: software sender, streaming device-style receiver, every byte checked.",
        "",
        "Seals an application's writes into TLS records (TLS 1.2 and 1.3 x AES-128-GCM, AES-256-GCM,",
        "ChaCha20-Poly1305), cuts the stream into 1448-byte TCP segments and receives it the way an offload",
        "device does: AES-GCM records are decrypted in flight across segment boundaries and released only",
        "after their tag verifies; ChaCha20 records are opened in software. Checks every byte."})
public final class DemoCommand implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", description = "Workload seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--writes", description = "Application writes per version and cipher (default: ${DEFAULT-VALUE}).",
        defaultValue = "400")
    int writes;

    @Override
    public Integer call()
    {
        if (writes < 1 || writes > 1_000_000)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--writes must be between 1 and 1000000, got " + writes);
        }
        final List<RecordDemo.Result> results = RecordDemo.run(seed, writes);
        RecordDemo.print(results, System.out);
        final boolean ok = results.stream().allMatch(RecordDemo.Result::verified);
        System.out.println(ok ? "All plaintext identical to what the application wrote."
            : "MISMATCH: some plaintext differs from what the application wrote.");
        return ok ? TlsnicMain.EXIT_OK : TlsnicMain.EXIT_MISMATCH;
    }
}
