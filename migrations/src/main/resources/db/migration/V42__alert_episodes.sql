-- Alert lifecycle: raised (open) -> mitigated (its rollback took effect) -> resolved (acknowledged by an operator,
-- v2 healthy again for the resolve period after a re-enable, or superseded by the next episode). Each breach of a
-- scope (the flag, or one tenant) after the previous one was mitigated is a new episode: a new alert whose
-- dedup key (and PagerDuty incident) carries the episode number.
ALTER TABLE guard_alerts DROP CONSTRAINT IF EXISTS guard_alerts_status_check;
ALTER TABLE guard_alerts ADD CONSTRAINT guard_alerts_status_check CHECK (status IN ('open', 'mitigated', 'resolved'));
ALTER TABLE guard_alerts ADD COLUMN episode integer NOT NULL DEFAULT 1 CHECK (episode >= 1);
ALTER TABLE guard_alerts ADD COLUMN mitigated_at timestamptz;
ALTER TABLE guard_alerts ADD COLUMN resolution text;
DROP INDEX IF EXISTS guard_alerts_open;
CREATE INDEX guard_alerts_unresolved ON guard_alerts (flag_name, tenant_id) WHERE status <> 'resolved';
