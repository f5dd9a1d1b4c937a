package io.jvmpool.shared;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/** TLS for the worker's channel: trust the coordinator's certificate (or its CA), plaintext otherwise. */
public final class Tls {

    private Tls() {
    }

    /**
     * Sets up {@code channel} for TLS trusting {@code ca} (a PEM file), checking the server's name
     * against {@code authority} when given; plaintext when {@code ca} is null.
     */
    public static NettyChannelBuilder configure(NettyChannelBuilder channel, Path ca, String authority) throws IOException {
        if (ca == null) {
            return channel.usePlaintext();
        }
        channel.sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build());
        return authority == null ? channel : channel.overrideAuthority(authority);
    }

    /**
     * The name to expect when dialing 127.0.0.1 with this certificate: null when it names that
     * address, else its first DNS name (or its common name).
     */
    public static String authorityFor(Path certificate) throws IOException {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            String dns = null;
            if (names != null) {
                for (List<?> name : names) {
                    int type = (Integer) name.get(0);
                    if (type == 7 && "127.0.0.1".equals(name.get(1))) {
                        return null;
                    }
                    if (type == 2 && dns == null) {
                        dns = (String) name.get(1);
                    }
                }
            }
            if (dns != null) {
                return dns;
            }
            String subject = cert.getSubjectX500Principal().getName();
            for (String part : subject.split(",")) {
                if (part.startsWith("CN=")) {
                    return part.substring(3);
                }
            }
            return null;
        } catch (CertificateException e) {
            throw new IOException(certificate + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
