package dev.switchboard.common.auth;

/** A freshly signed token and its claims. */
public record IssuedToken(String token, TokenClaims claims) {}
