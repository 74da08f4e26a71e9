-- 10,000 businesses / configs and 1,000,000 calls over 45 days (a third outside the 30-day window),
-- generated in SQL. Deterministic: ids are md5 of a counter, so every run builds the same data set.
\set ON_ERROR_STOP on
INSERT INTO businesses (id, name, vertical)
SELECT md5('b' || g)::uuid, 'Business ' || g, (ARRAY['restaurant', 'dental', 'retail', 'salon'])[1 + g % 4]
FROM generate_series(1, 10000) g;

INSERT INTO voice_agent_config (id, business_id, vapi_assistant_id, phone_number_id, assistant_name, system_prompt,
                                voice_id, is_active, created_at, updated_at)
SELECT md5('c' || g)::uuid, md5('b' || g)::uuid, 'vapi-' || g, 'phone-' || g, 'Asistente ' || g,
       (ARRAY['Toma pedidos del menu y reservas. Si hay dudas, transferir a un humano.'
                  || E'\n## Instrucciones especiales: opciones sin gluten, grupos de hasta 12 personas\n## Horario 9-23',
              'Agenda citas, explica tratamientos y seguros. Horario de 9 a 18.'
                  || E'\n## Notas importantes: el doctor no atiende los lunes',
              'Responde preguntas frecuentes (FAQ) y promociones',
              NULL])[1 + g % 4] || ' #' || g,
       CASE WHEN g % 3 = 0 THEN NULL ELSE 'voice-' || (g % 5) END,
       g % 50 <> 0, now() - interval '400 days', now() - interval '10 days'
FROM generate_series(1, 10000) g;

INSERT INTO voice_calls (id, business_id, vapi_call_id, status, outcome, started_at, duration_seconds, avg_latency_ms)
SELECT md5('v' || g)::uuid, md5('b' || (1 + g % 10000))::uuid, 'call-' || g,
       (ARRAY['completed', 'completed', 'completed', 'completed', 'failed', 'transferred', 'no-answer',
              'in_progress'])[1 + (g * 7) % 8],
       CASE WHEN g % 5 = 0 THEN (ARRAY['reservation_created', 'appointment_created', 'order_created'])[1 + g % 3] END,
       now() - (g % 45) * interval '1 day' - (g % 86400) * interval '1 second',
       (g * 13) % 600, 50 + (g * 31) % 1500
FROM generate_series(1, 1000000) g;

ANALYZE;
