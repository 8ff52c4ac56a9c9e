package io.switchboard.api;

import java.util.UUID;

/** Ids in REST paths. */
public final class PathIds {

    private PathIds() {
    }

    /** {@code id} as a UUID; a malformed id names nothing, so it is "not found" like any unknown id. */
    public static UUID uuidOrNotFound(String id, String notFoundDetail) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(notFoundDetail);
        }
    }
}
