-- Guard: stage plans, analysis state and verdicts, alerts and their delivery outbox.

CREATE TABLE guard_flags (
    flag_name        text PRIMARY KEY REFERENCES flags (name) ON DELETE CASCADE,
    policy           text        NOT NULL DEFAULT 'auto-rollback'
                     CHECK (policy IN ('notify-only', 'pause', 'auto-rollback')),
    auto_advance     boolean     NOT NULL DEFAULT false,
    -- stages: [{"name":"canary","percentage":0,"minBakeSeconds":14400}, ...]
    stages           jsonb,
    stage_percentage integer,
    stage_entered_at timestamptz,
    -- the analysis state machine (streaks, open alerts), so a restart or another replica continues it
    state            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- per-flag threshold overrides (the whole Thresholds object), null = the configured defaults
    thresholds       jsonb,
    evaluated_at     timestamptz,
    last_status      text,
    last_verdict_at  timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE guard_verdicts (
    id          bigserial PRIMARY KEY,
    flag_name   text        NOT NULL,
    at          timestamptz NOT NULL,
    status      text        NOT NULL,
    scope       text        NOT NULL,
    tenants     text[]      NOT NULL DEFAULT '{}',
    summary     text        NOT NULL,
    findings    jsonb       NOT NULL,
    transition  text
);
CREATE INDEX guard_verdicts_flag ON guard_verdicts (flag_name, id DESC);
CREATE INDEX guard_verdicts_at ON guard_verdicts (at);

CREATE TABLE guard_alerts (
    id              bigserial PRIMARY KEY,
    flag_name       text        NOT NULL,
    tenant_id       text,
    severity        text        NOT NULL CHECK (severity IN ('warning', 'critical', 'info')),
    rule            text        NOT NULL,
    dedup_key       text        NOT NULL,
    explanation     text        NOT NULL,
    status          text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    verdict_id      bigint REFERENCES guard_verdicts (id),
    action_taken    text,
    raised_at       timestamptz NOT NULL,
    resolved_at     timestamptz,
    acknowledged_at timestamptz,
    acknowledged_by text
);
CREATE INDEX guard_alerts_flag ON guard_alerts (flag_name, id DESC);
CREATE INDEX guard_alerts_open ON guard_alerts (dedup_key) WHERE status = 'open';

-- Outbox: one row per message to one sink, written in the verdict's transaction and delivered by a worker.
CREATE TABLE alert_deliveries (
    id              bigserial PRIMARY KEY,
    alert_id        bigint REFERENCES guard_alerts (id),
    flag_name       text        NOT NULL,
    sink            text        NOT NULL CHECK (sink IN ('slack', 'pagerduty')),
    kind            text        NOT NULL,
    alert_key       text        NOT NULL,
    payload         jsonb       NOT NULL,
    state           text        NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'failed', 'suppressed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id);
CREATE INDEX alert_deliveries_key ON alert_deliveries (sink, alert_key, created_at DESC);
