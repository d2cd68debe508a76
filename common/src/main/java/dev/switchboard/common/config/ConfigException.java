package dev.switchboard.common.config;

/** A setting is missing or has a value that cannot be used; the message names the setting. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
