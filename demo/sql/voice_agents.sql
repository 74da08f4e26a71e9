-- The demo's voice-agent platform database (bin/demo creates it as switchboard_demo_agents): the schema the
-- v1 -> v2 data migration expects (docs/data-migration.md, copied from the data-migration test fixture with text
-- business ids = the demo's tenant ids), v1 rows for tenant-0001 .. tenant-<count> (psql -v count=N), and no v2 rows yet.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
-- The voice-agent platform's tables as the v1 -> v2 data migration expects them (docs/data-migration.md).
-- v1 (source): businesses, voice_agent_config, voice_calls. v2 (target, created by the v2 deploy):
-- voice_assistant_configs, voice_assistant_metrics and the new column voice_calls.outcome.

CREATE TABLE businesses (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    vertical    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE voice_agent_config (
    id                 uuid PRIMARY KEY,
    business_id        text NOT NULL REFERENCES businesses (id),
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
    business_id       text REFERENCES businesses (id),
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
    business_id           text NOT NULL REFERENCES businesses (id),
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
    business_id           text NOT NULL REFERENCES businesses (id),
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

INSERT INTO businesses (id, name, vertical)
SELECT format('tenant-%s', lpad(n::text, 4, '0')), format('Demo business %s', n),
       (ARRAY['restaurant', 'dental', 'salon', NULL])[1 + n % 4]
FROM generate_series(1, :count) n;

INSERT INTO voice_agent_config (id, business_id, vapi_assistant_id, phone_number_id, assistant_name, system_prompt, voice_id)
SELECT gen_random_uuid(), b.id, 'asst_' || b.id, 'pn_' || b.id, 'Recepcionista',
       CASE WHEN b.vertical = 'dental' THEN E'Agenda citas y explica cada tratamiento.\n## Notas importantes\nNo dar precios.'
            WHEN b.vertical IS NULL THEN NULL
            ELSE E'Toma reservas y pedidos del menu; si piden, transferir a un humano.\n## Instrucciones especiales\nHorario 12-23.' END,
       CASE WHEN b.id LIKE '%5' THEN NULL ELSE 'elevenlabs-lucia' END
FROM businesses b;

INSERT INTO voice_calls (id, business_id, vapi_call_id, status, started_at, ended_at, duration_seconds, avg_latency_ms)
SELECT gen_random_uuid(), b.id, 'call_' || b.id || '_' || k,
       (ARRAY['completed', 'completed', 'failed', 'transferred', 'no-answer'])[1 + k % 5],
       now() - make_interval(hours => k * 7), now() - make_interval(hours => k * 7) + interval '3 minutes',
       60 + k * 11, 300 + k * 37
FROM businesses b, generate_series(1, 6) k;
