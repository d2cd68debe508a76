package dev.switchboard.client.rest;

/** Whether a user has at least one connected device ({@code GET /api/v1/presence}). */
public record Presence(long userId, boolean online) {}
