-- Built-in accounts of people who sign in with a username and password (POST /api/auth/login).
-- Usernames are unique across the whole service, whatever their case; the password is stored only
-- as a bcrypt hash (see account/PasswordHasher).
CREATE TABLE account (
    id            UUID PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    display_name  VARCHAR(200) NOT NULL,
    tenant_id     VARCHAR(200) NOT NULL,
    roles         VARCHAR(200) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL,
    created_by    VARCHAR(200) NOT NULL
);
CREATE UNIQUE INDEX account_username_lower ON account (lower(username));
CREATE INDEX account_tenant_username ON account (tenant_id, username);

-- Ids of deleted accounts. Their tokens stay well formed and signed until they expire; every replica
-- refuses a token whose subject is here (JwtUserAugmentor). Tokens of an outside identity provider,
-- whose subjects are no account ids, are never here.
CREATE TABLE account_deleted (
    id          UUID PRIMARY KEY,
    tenant_id   VARCHAR(200) NOT NULL,
    deleted_at  TIMESTAMPTZ  NOT NULL
);

-- Failed sign-ins per username (lower case, known or not), shared by every replica: after 5 failures
-- within 5 minutes of the first, sign-ins for that username are refused (429) until those 5 minutes
-- are over. Times are the database's clock, so replicas with skewed clocks agree.
CREATE TABLE login_failure (
    username     VARCHAR(256) PRIMARY KEY,
    window_start TIMESTAMPTZ  NOT NULL,
    failures     INTEGER      NOT NULL
);
CREATE INDEX login_failure_window_start ON login_failure (window_start);
