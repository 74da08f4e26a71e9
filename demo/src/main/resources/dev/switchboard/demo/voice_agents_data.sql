-- The demo's v1 data on the voice-agent platform: businesses tenant-0001 .. tenant-<count> (the demo's tenant ids),
-- an agent configuration each and six past calls each; no v2 rows yet. {{count}} is replaced by DemoDatabases.
INSERT INTO businesses (id, name, vertical)
SELECT format('tenant-%s', lpad(n::text, 4, '0')), format('Demo business %s', n),
       (ARRAY['restaurant', 'dental', 'salon', NULL])[1 + n % 4]
FROM generate_series(1, {{count}}) n;

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
