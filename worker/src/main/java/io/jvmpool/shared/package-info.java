/**
 * What the coordinator and its workers share, on both sides of the wire: the token, TLS set-up,
 * checksums, the version they must agree on, and how a process names itself in {@code top}.
 */
package io.jvmpool.shared;
