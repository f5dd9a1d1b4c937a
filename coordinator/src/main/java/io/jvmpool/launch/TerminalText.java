package io.jvmpool.launch;

/**
 * A worker's line made safe for a terminal: a task must not be able to clear the screen, move the
 * cursor over the live view, rename the window or hide the cursor. Colour (SGR, {@code ESC [ ... m})
 * is kept, and reset at the line's end; every other escape sequence (CSI, OSC, and the rest) and
 * control character but tab is removed.
 */
final class TerminalText {
    private static final char ESC = 0x1b;

    private TerminalText() {
    }

    static String safe(String line) {
        StringBuilder out = new StringBuilder(line.length());
        boolean coloured = false;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == ESC || c == 0x9b) { // ESC, or the one-character CSI
                int end;
                if (c == 0x9b || i + 1 < n && line.charAt(i + 1) == '[') {
                    int start = c == 0x9b ? i + 1 : i + 2;
                    end = start;
                    while (end < n && line.charAt(end) >= 0x20 && line.charAt(end) <= 0x3f) {
                        end++; // parameter and intermediate bytes
                    }
                    if (end < n && line.charAt(end) == 'm' && line.substring(start, end).matches("[0-9;]*")) {
                        out.append(ESC).append('[').append(line, start, end).append('m');
                        coloured = true;
                    }
                } else if (i + 1 < n && line.charAt(i + 1) == ']') { // OSC: a title, a hyperlink...; up to BEL or ST
                    end = i + 2;
                    while (end < n && line.charAt(end) != 0x07 && !(line.charAt(end) == ESC && end + 1 < n && line.charAt(end + 1) == '\\')) {
                        end++;
                    }
                    if (end < n && line.charAt(end) == ESC) {
                        end++;
                    }
                } else {
                    end = Math.min(n - 1, i + 1); // ESC and the character after it
                }
                i = end;
            } else if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) || c == '\t') {
                out.append(c);
            }
        }
        if (coloured) {
            out.append(ESC).append("[0m");
        }
        return out.toString();
    }
}
