-- Spindle schema, version 9. An audit record is written before the call it records (outcome PENDING, pending_run
-- naming the node run that makes the call) and completed after it (pending_run back to NULL). A record a run left
-- PENDING when it died gets its outcome from the target's state at a later reconciliation pass (or INTERRUPTED).
-- Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE audit_event ADD COLUMN pending_run VARCHAR(128);
CREATE INDEX audit_event_pending ON audit_event (pending_run);
