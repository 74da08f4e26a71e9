-- Unleash client API: the SDK instances that registered or reported (routers, anything else holding the
-- client token) and the yes/no counts they report per flag and metrics bucket.

CREATE TABLE unleash_client_instances (
    app_name          text        NOT NULL CHECK (length(app_name) BETWEEN 1 AND 200),
    instance_id       text        NOT NULL CHECK (length(instance_id) BETWEEN 1 AND 200),
    connection_id     text,
    sdk_version       text,
    environment       text,
    strategies        text[]      NOT NULL DEFAULT '{}',
    started_at        timestamptz,
    interval_ms       bigint,
    platform_name     text,
    platform_version  text,
    yggdrasil_version text,
    spec_version      text,
    registered_at     timestamptz,
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_name, instance_id)
);
CREATE INDEX unleash_client_instances_last_seen ON unleash_client_instances (last_seen_at DESC);

-- One row per instance, flag and bucket. A re-sent bucket (an SDK retrying a post) replaces its row instead of
-- counting twice.
CREATE TABLE unleash_client_metrics (
    app_name     text        NOT NULL,
    instance_id  text        NOT NULL,
    flag_name    text        NOT NULL CHECK (length(flag_name) BETWEEN 1 AND 200),
    bucket_start timestamptz NOT NULL,
    bucket_stop  timestamptz NOT NULL,
    yes          bigint      NOT NULL CHECK (yes >= 0),
    no           bigint      NOT NULL CHECK (no >= 0),
    variants     jsonb       NOT NULL DEFAULT '{}',
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_name, instance_id, flag_name, bucket_start),
    FOREIGN KEY (app_name, instance_id) REFERENCES unleash_client_instances (app_name, instance_id) ON DELETE CASCADE
);
CREATE INDEX unleash_client_metrics_flag ON unleash_client_metrics (flag_name, bucket_start DESC);
