-- Dashboard login sessions, shared by every control plane behind a load balancer, and the login throttle.

CREATE TABLE dashboard_sessions (
    id               text PRIMARY KEY,
    username         text,
    created_at       timestamptz NOT NULL,
    last_accessed_at timestamptz NOT NULL,
    max_idle_seconds integer     NOT NULL,
    expires_at       timestamptz NOT NULL,
    -- the session's attributes (security context, CSRF token, saved page), Java-serialized, read back only
    -- through an allow-list of classes
    attributes       bytea       NOT NULL
);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);

-- Failed logins per throttle key: "addr:<address>", "user:<name>" and "user-addr:<name>|<address>".
-- A row counts the failures of the current window; blocked_until grows with every failure past the limit.
CREATE TABLE login_failures (
    key           text PRIMARY KEY,
    failures      integer     NOT NULL,
    window_start  timestamptz NOT NULL,
    blocked_until timestamptz
);
