package io.switchboard.bench;

/**
 * Just enough JSON for the hot paths: reading one string or integer member out of a record by
 * scanning, without building a tree (the driver parses up to ~100k pushes a second on one core). The
 * values read this way are ids and texts the driver itself made, which need no unescaping.
 */
final class Json {
    private Json() {
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The first string member {@code name} in {@code record}, or null (escapes are not decoded). */
    static String string(String record, String name) {
        String key = "\"" + name + "\":\"";
        int at = record.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int end = from;
        while (end < record.length() && record.charAt(end) != '"') {
            end += record.charAt(end) == '\\' ? 2 : 1;
        }
        return end < record.length() ? record.substring(from, end) : null;
    }

    /** The first integer member {@code name} in {@code record}, or -1. */
    static int integer(String record, String name) {
        String key = "\"" + name + "\":";
        int at = record.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int i = at + key.length();
        int value = 0;
        boolean any = false;
        while (i < record.length() && Character.isDigit(record.charAt(i))) {
            value = value * 10 + record.charAt(i++) - '0';
            any = true;
        }
        return any ? value : -1;
    }
}
