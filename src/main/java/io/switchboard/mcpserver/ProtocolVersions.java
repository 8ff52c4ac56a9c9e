package io.switchboard.mcpserver;

import java.util.List;

/** The MCP protocol versions this endpoint speaks, newest first. */
final class ProtocolVersions {

    static final String LATEST = "2025-11-25";
    static final String JUNE_2025 = "2025-06-18";
    static final String MARCH_2025 = "2025-03-26";
    static final List<String> SUPPORTED = List.of(LATEST, JUNE_2025, MARCH_2025);

    private ProtocolVersions() {
    }

    /** What {@code initialize} agrees on: the client's version when spoken here, else the newest. */
    static String negotiate(String requested) {
        return SUPPORTED.contains(requested) ? requested : LATEST;
    }

    static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }
}
