package io.jvmpool.cli;

/** Bad usage: the command line or its input files can't be used. Exit code 2, one line on stderr. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
