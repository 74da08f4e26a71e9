-- Two credentials for machines: "client" tokens (Unleash SDKs: features, register, metrics, streaming) and
-- "router" tokens, each bound to one router id, which alone may push router metric windows and read the
-- identifier registry. Tokens that had the old all-purpose "router" role become client tokens: they keep the
-- Unleash client API and lose the metric intake until a router token is created for each router.
ALTER TABLE api_tokens DROP CONSTRAINT IF EXISTS api_tokens_role_check;
UPDATE api_tokens SET role = 'client' WHERE role = 'router';
ALTER TABLE api_tokens ADD COLUMN router_id text;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
    CHECK (role IN ('viewer', 'operator', 'admin', 'client', 'router'));
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_router_binding
    CHECK ((role = 'router') = (router_id IS NOT NULL));
