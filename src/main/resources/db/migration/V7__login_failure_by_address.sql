-- Failed sign-ins per client address, beside the per-username count (login_failure): a client trying
-- a new username each time never trips the per-username count, but does trip this one. Same shape and
-- rules: a window that starts at the first failure, the database's clock. The address is the client's
-- (or, behind a trusted proxy, the forwarded one), an IPv6 address by its /64 network.
CREATE TABLE login_failure_by_address (
    address      VARCHAR(64)  PRIMARY KEY,
    window_start TIMESTAMPTZ  NOT NULL,
    failures     INTEGER      NOT NULL
);
CREATE INDEX login_failure_by_address_window_start ON login_failure_by_address (window_start);
