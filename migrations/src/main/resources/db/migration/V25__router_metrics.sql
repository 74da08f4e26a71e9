-- Router metric intake (guard feature). Routers push 10-second windows per (flag, variant, tenant).

-- One row per (router, window, flag, variant, tenant): the primary key is the idempotency key, so a router
-- retrying a push changes nothing. Leading (flag, window_start) serves the time-range scans.
CREATE TABLE router_metric_windows (
    flag_name             text        NOT NULL,
    window_start          timestamptz NOT NULL,
    tenant_id             text        NOT NULL,
    variant               text        NOT NULL CHECK (variant IN ('v1', 'v2')),
    router_id             text        NOT NULL,
    window_seconds        integer     NOT NULL CHECK (window_seconds > 0),
    requests              bigint      NOT NULL CHECK (requests >= 0),
    errors                bigint      NOT NULL CHECK (errors >= 0),
    calls                 bigint      NOT NULL CHECK (calls >= 0),
    failed_calls          bigint      NOT NULL CHECK (failed_calls >= 0),
    circuit_breaker_opens bigint      NOT NULL CHECK (circuit_breaker_opens >= 0),
    failovers             bigint      NOT NULL CHECK (failovers >= 0),
    latency_sum_ms        double precision NOT NULL CHECK (latency_sum_ms >= 0),
    -- counts per bucket of the standard bounds (5 ms .. 20000 ms), the 24th is > 20000 ms
    latency_counts        bigint[]    NOT NULL CHECK (cardinality(latency_counts) = 24),
    received_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (flag_name, window_start, tenant_id, variant, router_id)
);
CREATE INDEX router_metric_windows_tenant ON router_metric_windows (flag_name, tenant_id, window_start);
CREATE INDEX router_metric_windows_received ON router_metric_windows (window_start);

-- The same windows summed over tenants, per router: flag-wide comparisons read 2 rows per router and
-- window instead of one per tenant. Recomputed from the tenant rows after each push, so retries and a
-- window split over several pushes both stay exact.
CREATE TABLE router_metric_flag_windows (
    flag_name             text        NOT NULL,
    window_start          timestamptz NOT NULL,
    variant               text        NOT NULL CHECK (variant IN ('v1', 'v2')),
    router_id             text        NOT NULL,
    window_seconds        integer     NOT NULL,
    requests              bigint      NOT NULL,
    errors                bigint      NOT NULL,
    calls                 bigint      NOT NULL,
    failed_calls          bigint      NOT NULL,
    circuit_breaker_opens bigint      NOT NULL,
    failovers             bigint      NOT NULL,
    latency_sum_ms        double precision NOT NULL,
    latency_counts        bigint[]    NOT NULL,
    PRIMARY KEY (flag_name, window_start, variant, router_id)
);

CREATE TABLE routers (
    router_id      text PRIMARY KEY,
    version        text        NOT NULL,
    last_seen      timestamptz NOT NULL,
    flag_revisions jsonb       NOT NULL DEFAULT '{}'::jsonb,
    first_seen     timestamptz NOT NULL DEFAULT now()
);
