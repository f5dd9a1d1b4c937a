package io.jvmpool.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS tests, made with openssl. */
public final class Certificates {

    private Certificates() {
    }

    /** A self-signed certificate for the name jvmpool.test. */
    public static void selfSigned(Path cert, Path key) throws IOException, InterruptedException {
        Need.OPENSSL.require();
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=jvmpool.test", "-addext", "subjectAltName=DNS:jvmpool.test",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(said).isZero();
    }
}
