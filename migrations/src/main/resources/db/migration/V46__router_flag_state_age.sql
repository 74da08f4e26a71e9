-- How old the flag state a router decides on was at its latest accepted window (seconds; 0 while its stream or
-- poll reaches the control plane; NULL when it never had a confirmed state, or before routers reported it).
ALTER TABLE routers ADD COLUMN flag_state_age_seconds bigint CHECK (flag_state_age_seconds >= 0);
