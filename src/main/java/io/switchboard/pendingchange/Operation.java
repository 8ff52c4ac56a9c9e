package io.switchboard.pendingchange;

/** What the proposed change does to its entity. */
public enum Operation {
    CREATE, UPDATE, DELETE
}
