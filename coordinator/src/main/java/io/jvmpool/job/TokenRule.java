package io.jvmpool.job;

import io.jvmpool.shared.Token;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Who may join a job: on a loopback address anyone on this machine (a token is optional); on any
 * other address only workers that present the job's token, which is made up when none is given.
 */
public final class TokenRule {
    private TokenRule() {
    }

    /** Whether a listen host is this machine's own loopback. */
    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * The token workers must present for a coordinator listening on {@code host}: {@code given},
     * or a new random one when none is given and the host is not loopback; null when none is needed.
     *
     * @throws IllegalArgumentException when the token is the examples' placeholder
     */
    public static String tokenFor(String host, String given) {
        if (Token.EXAMPLE_PLACEHOLDER.equals(given)) {
            throw new IllegalArgumentException("the token is the example's placeholder '" + given
                    + "' (docker/k8s/examples/token-secret.yaml): make a secret of your own, e.g. head -c 24 /dev/urandom | base64");
        }
        if (given != null || isLoopback(host)) {
            return given;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
