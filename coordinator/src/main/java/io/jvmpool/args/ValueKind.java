package io.jvmpool.args;

/** What an argument holds: a whole number (a long), another number (a double), or text. */
public enum ValueKind {
    INTEGER, FLOATING, TEXT
}
