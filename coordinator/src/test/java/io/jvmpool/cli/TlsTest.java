package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Folders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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
        selfSigned(cert, key);
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

    /** A self-signed certificate for the name jvmpool.test, made with openssl. */
    private static void selfSigned(Path cert, Path key) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=jvmpool.test", "-addext", "subjectAltName=DNS:jvmpool.test",
                    "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            Assumptions.abort("openssl is not installed: skipped");
            return;
        }
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(said).isZero();
    }
}
