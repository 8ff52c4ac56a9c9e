-- Changes an AI agent proposed that a person must approve. A transition happens only from Pending,
-- as one conditional UPDATE, so racing deciders (and the expiry sweep) cannot both win.
CREATE TABLE pending_change (
    id               UUID PRIMARY KEY,
    tenant_id        VARCHAR(200) NOT NULL,
    api_key_id       VARCHAR(200) NOT NULL,
    tool_name        VARCHAR(200) NOT NULL,
    operation        VARCHAR(10)  NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE')),
    entity_type      VARCHAR(200) NOT NULL,
    entity_id        VARCHAR(200),
    before_state     JSONB,
    after_state      JSONB,
    status           VARCHAR(10)  NOT NULL CHECK (status IN ('Pending', 'Approved', 'Rejected', 'Expired')),
    created_at       TIMESTAMPTZ  NOT NULL,
    expires_at       TIMESTAMPTZ  NOT NULL,
    decided_at       TIMESTAMPTZ,
    decided_by       VARCHAR(200),
    reason           VARCHAR(1000),
    execution_result JSONB
);
CREATE INDEX pending_change_tenant_created ON pending_change (tenant_id, created_at DESC);
CREATE INDEX pending_change_tenant_status_created ON pending_change (tenant_id, status, created_at DESC);
-- The expiry sweep only ever looks at Pending changes that are due.
CREATE INDEX pending_change_due ON pending_change (expires_at) WHERE status = 'Pending';
