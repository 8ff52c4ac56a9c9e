-- A decision is announced (pushed to agents and approvers through the backplane) after its commit.
-- announce_due_at is set in the same UPDATE as the decision, and cleared once the backplane has
-- confirmed the announcement; a decision still unconfirmed when it is due is announced again by any
-- replica, so one whose replica died between the commit and the publish is not lost. NULL: announced.
ALTER TABLE pending_change ADD COLUMN announce_due_at TIMESTAMPTZ;
CREATE INDEX pending_change_announce_due ON pending_change (announce_due_at) WHERE announce_due_at IS NOT NULL;
