-- The voice-agent platform's tables as the v1 -> v2 data migration expects them (docs/data-migration.md).
-- v1 (source): businesses, voice_agent_config, voice_calls. v2 (target, created by the v2 deploy):
-- voice_assistant_configs, voice_assistant_metrics and the new column voice_calls.outcome.
-- Business ids are uuid on the platform; the demo uses text ids (its tenant ids). {{business_id_type}} is replaced
-- by VoiceAgentSchema.sql(type) with one of them; the migration accepts uuid, text and varchar.

CREATE TABLE businesses (
    id          {{business_id_type}} PRIMARY KEY,
    name        text NOT NULL,
    vertical    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE voice_agent_config (
    id                 uuid PRIMARY KEY,
    business_id        {{business_id_type}} NOT NULL REFERENCES businesses (id),
    vapi_assistant_id  text,
    phone_number_id    text,
    assistant_name     text,
    system_prompt      text,
    voice_id           text,
    first_message      text,
    is_active          boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voice_agent_config_business_idx ON voice_agent_config (business_id);

CREATE TABLE voice_calls (
    id                uuid PRIMARY KEY,
    business_id       {{business_id_type}} REFERENCES businesses (id),
    vapi_call_id      text,
    caller_number     text,
    status            text,
    outcome           text,
    started_at        timestamptz,
    ended_at          timestamptz,
    duration_seconds  integer,
    avg_latency_ms    integer,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voice_calls_business_started_idx ON voice_calls (business_id, started_at);

CREATE TABLE voice_assistant_configs (
    id                    uuid PRIMARY KEY,
    business_id           {{business_id_type}} NOT NULL REFERENCES businesses (id),
    assistant_type_id     text NOT NULL,
    vapi_assistant_id     text,
    phone_number_id       text,
    voice_id              text NOT NULL,
    voice_speed           numeric(3, 2) NOT NULL DEFAULT 1.0,
    personality_type      text NOT NULL DEFAULT 'friendly',
    special_instructions  text CHECK (length(special_instructions) <= 1000),
    enabled_capabilities  text[] NOT NULL DEFAULT '{}',
    template_version      text NOT NULL DEFAULT '1',
    is_active             boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    migrated_from_v1      boolean NOT NULL DEFAULT false,
    migrated_at           timestamptz,
    original_prompt_hash  text
);
CREATE INDEX voice_assistant_configs_business_idx ON voice_assistant_configs (business_id);

CREATE TABLE voice_assistant_metrics (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id           {{business_id_type}} NOT NULL REFERENCES businesses (id),
    period_start          timestamptz NOT NULL,
    period_end            timestamptz NOT NULL,
    total_calls           integer NOT NULL DEFAULT 0,
    successful_calls      integer NOT NULL DEFAULT 0,
    failed_calls          integer NOT NULL DEFAULT 0,
    avg_duration_seconds  numeric(10, 2) NOT NULL DEFAULT 0,
    avg_latency_ms        numeric(10, 2) NOT NULL DEFAULT 0,
    p50_latency_ms        numeric(10, 2) NOT NULL DEFAULT 0,
    p95_latency_ms        numeric(10, 2) NOT NULL DEFAULT 0,
    reservations_created  integer NOT NULL DEFAULT 0,
    appointments_created  integer NOT NULL DEFAULT 0,
    orders_created        integer NOT NULL DEFAULT 0,
    human_transfers       integer NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voice_assistant_metrics_business_idx ON voice_assistant_metrics (business_id);
