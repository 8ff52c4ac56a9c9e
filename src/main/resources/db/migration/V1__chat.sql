-- Chat messages. seq orders history; id is the public message id.
CREATE TABLE chat_message (
    id           UUID PRIMARY KEY,
    seq          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant_id    VARCHAR(200)  NOT NULL,
    workflow_id  VARCHAR(200),
    user_id      VARCHAR(200)  NOT NULL,
    display_name VARCHAR(200)  NOT NULL,
    content      VARCHAR(4000) NOT NULL,
    created_at   TIMESTAMPTZ   NOT NULL
);
CREATE INDEX chat_message_workflow_seq ON chat_message (tenant_id, workflow_id, seq);

-- What a user had joined, so a new connection within the recovery window is put back.
CREATE TABLE chat_session (
    tenant_id          VARCHAR(200) NOT NULL,
    user_id            VARCHAR(200) NOT NULL,
    active_workflow_id VARCHAR(200),
    updated_at         TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE chat_session_workflow (
    tenant_id   VARCHAR(200) NOT NULL,
    user_id     VARCHAR(200) NOT NULL,
    workflow_id VARCHAR(200) NOT NULL,
    joined_at   TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, user_id, workflow_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES chat_session (tenant_id, user_id) ON DELETE CASCADE
);
