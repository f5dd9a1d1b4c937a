package io.jvmpool.worker;

import io.grpc.Status;
import java.util.Locale;

/** Why a worker can't get in, said so that the usual mistakes (TLS on one side only, a wrong name, nothing listening) are plain. */
final class DialFailures {
    private DialFailures() {
    }

    /** Why a call could not get through, in words, with a hint for the usual mistakes. */
    static String describe(Status status) {
        Throwable root = status.getCause();
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        String text = status.getDescription() == null ? status.getCode().toString() : status.getDescription().lines().findFirst().orElse("");
        if (root != null && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += " (" + root.getMessage() + ")";
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("not an ssl/tls record") || lower.contains("ssl") && lower.contains("handshake")
                && lower.contains("record")) {
            text += "; the coordinator does not serve TLS: drop --tls-ca";
        } else if (lower.contains("network closed for unknown reason") || lower.contains("first received frame was not settings")) {
            text += "; if the coordinator serves TLS, give --tls-ca";
        } else if (lower.contains("subject alternative") || lower.contains("certificat")) {
            text += "; check --tls-ca (and --tls-authority for the name in the certificate)";
        } else if (lower.contains("connection refused")) {
            text += "; is it running, and is --coordinator its --listen address?";
        }
        return text;
    }

}
