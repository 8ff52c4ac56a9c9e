-- Who proposed a change, by the API key's name as it was then (a key's name is shown to approvers next to
-- the change; keys are revoked, never deleted, so older changes take it from their key).
ALTER TABLE pending_change ADD COLUMN proposed_by_name VARCHAR(200);
UPDATE pending_change SET proposed_by_name = api_key.name
  FROM api_key WHERE api_key.id::text = pending_change.api_key_id;
