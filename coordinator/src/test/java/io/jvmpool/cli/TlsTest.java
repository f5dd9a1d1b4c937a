package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Certificates;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Folders;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With --tls-cert and --tls-key the coordinator serves TLS, and its local workers speak TLS to it. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void aJobRunsOverTls() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificates.selfSigned(cert, key);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("-P", "loop=1000", "--workers", "2", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Folders.npyFiles(out)).hasSize(6);
    }

    @Test
    void tlsFlagsGoTogether() {
        Cli.Result r = Cli.run("--tls-cert", dir.resolve("c.pem").toString(), "--out", dir.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--tls-cert and --tls-key go together");
    }
}
