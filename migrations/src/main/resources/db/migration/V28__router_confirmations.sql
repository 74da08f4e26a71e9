-- Which revision of each flag every router confirmed it decides with. One row per (router, flag), replaced when
-- the router confirms another revision. applied_at, received_at and first_decision_at are the router's clock;
-- confirmed_at (first heard of this revision) and last_seen (last confirmation or heartbeat) the control plane's.
CREATE TABLE router_confirmations (
    router_id         text        NOT NULL,
    flag_name         text        NOT NULL REFERENCES flags (name) ON DELETE CASCADE,
    revision          bigint      NOT NULL CHECK (revision >= 1),
    source            text        NOT NULL CHECK (source IN ('stream', 'poll', 'backup')),
    applied_at        timestamptz NOT NULL,
    received_at       timestamptz,
    first_decision_at timestamptz,
    confirmed_at      timestamptz NOT NULL,
    last_seen         timestamptz NOT NULL,
    PRIMARY KEY (router_id, flag_name)
);
CREATE INDEX router_confirmations_flag ON router_confirmations (flag_name, last_seen);

-- A flag revision every live router confirmed: written once (whichever replica sees it first), with the audit
-- event that records it.
CREATE TABLE flag_revision_confirmations (
    flag_name      text             NOT NULL REFERENCES flags (name) ON DELETE CASCADE,
    revision       bigint           NOT NULL,
    changed_at     timestamptz      NOT NULL,
    complete_at    timestamptz      NOT NULL,
    delay_ms       double precision NOT NULL,
    routers        integer          NOT NULL,
    slowest_router text,
    PRIMARY KEY (flag_name, revision)
);
