-- Switchboard core schema: flags, per-tenant overrides, tenants and their provider identifiers,
-- append-only audit, snapshots, API tokens.
-- Version ranges by feature so parallel work never collides: V1-V19 core, V20-V29 router/Unleash API,
-- V30-V39 guard and alerts, V40-V49 dashboard, V50-V59 migration bookkeeping.

CREATE TABLE flags (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
    description text        NOT NULL DEFAULT '',
    enabled     boolean     NOT NULL DEFAULT false,
    percentage  integer     NOT NULL DEFAULT 0 CHECK (percentage BETWEEN 0 AND 100),
    revision    bigint      NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text        NOT NULL
);

-- One row per (flag, tenant): a tenant is either allowed or denied, never both, and concurrent edits of
-- different tenants touch different rows instead of rewriting a shared array.
CREATE TABLE flag_tenant_overrides (
    flag_name  text        NOT NULL REFERENCES flags (name) ON DELETE CASCADE,
    tenant_id  text        NOT NULL,
    mode       text        NOT NULL CHECK (mode IN ('allow', 'deny')),
    reason     text        NOT NULL DEFAULT '',
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (flag_name, tenant_id)
);

CREATE TABLE tenants (
    id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$'),
    display_name  text        NOT NULL,
    tier          text        NOT NULL DEFAULT 'standard',
    monthly_calls integer     NOT NULL DEFAULT 0 CHECK (monthly_calls >= 0),
    internal      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Provider identifier -> tenant: how the router learns which business a webhook belongs to.
CREATE TABLE tenant_identifiers (
    provider   text        NOT NULL CHECK (provider IN ('vapi', 'twilio', 'retell', 'generic')),
    kind       text        NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    value      text        NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
    tenant_id  text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, kind, value)
);
CREATE INDEX tenant_identifiers_tenant ON tenant_identifiers (tenant_id);

CREATE TABLE audit_events (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor        text        NOT NULL,
    actor_role   text,
    action       text        NOT NULL,
    flag_name    text,
    tenant_id    text,
    before_state jsonb,
    after_state  jsonb,
    reason       text        NOT NULL DEFAULT '',
    request_id   text,
    details      jsonb
);
CREATE INDEX audit_events_flag ON audit_events (flag_name, id DESC);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, id DESC);
CREATE INDEX audit_events_actor ON audit_events (actor, id DESC);
CREATE INDEX audit_events_at ON audit_events (at);

-- The audit log is append-only: the database itself refuses to rewrite history.
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS
$$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_update
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- A restorable copy of a flag's whole state at every revision (level-4 "data" rollback restores one).
CREATE TABLE flag_snapshots (
    id         bigserial PRIMARY KEY,
    flag_name  text        NOT NULL REFERENCES flags (name) ON DELETE CASCADE,
    revision   bigint      NOT NULL,
    state      jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL,
    reason     text        NOT NULL DEFAULT '',
    UNIQUE (flag_name, revision)
);

-- Only a SHA-256 of each token is stored; the token itself is shown once, at creation.
CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   text        NOT NULL UNIQUE,
    role         text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin', 'router')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
