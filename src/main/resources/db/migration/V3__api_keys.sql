-- API keys of AI agents. The key itself is never stored: key_hash is the SHA-256 (hex) of the whole
-- key, looked up on every authentication; prefix is the first characters, safe to show in listings.
CREATE TABLE api_key (
    id          UUID PRIMARY KEY,
    tenant_id   VARCHAR(200) NOT NULL,
    name        VARCHAR(200) NOT NULL,
    prefix      VARCHAR(20)  NOT NULL,
    key_hash    VARCHAR(64)  NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ  NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    expires_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_key_tenant_created ON api_key (tenant_id, created_at);
