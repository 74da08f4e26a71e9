package dev.switchboard.router.metrics;

/** One series of a metric window: flag × variant × tenant. */
record SeriesKey(String flag, String variant, String tenantId) {}
