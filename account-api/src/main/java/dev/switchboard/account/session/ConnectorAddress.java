package dev.switchboard.account.session;

/** Where a client connects after login: a connector's id and its client TCP address. */
public record ConnectorAddress(String id, String host, int port) {}
