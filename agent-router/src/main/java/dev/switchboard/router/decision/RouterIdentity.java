package dev.switchboard.router.decision;

/** This router's instance id (configured, or the host name) and version, as shown on the dashboard. */
public record RouterIdentity(String routerId, String routerVersion) {}
