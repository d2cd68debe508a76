package dev.switchboard.common.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings by name ({@code IM_REDIS_URL}, ...). The same names work as environment variables and as
 * Java system properties ({@code -DIM_REDIS_URL=...}), the latter winning, so a service can be
 * configured the same way in a container, from the launcher and inside a test JVM.
 */
public final class Env {
  private static final Pattern SHORT_DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> values;

  private Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Environment variables, overridden by system properties of the same name. */
  public static Env system() {
    Map<String, String> merged = new HashMap<>(System.getenv());
    System.getProperties()
        .forEach((key, value) -> merged.put(String.valueOf(key), String.valueOf(value)));
    return new Env(merged);
  }

  public static Env of(Map<String, String> values) {
    return new Env(values);
  }

  /** The value, if set and not blank. */
  public Optional<String> get(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  public String require(String name) {
    return get(name).orElseThrow(() -> new ConfigException(name + " is required but not set"));
  }

  public int getInt(String name, int defaultValue) {
    return get(name).map(value -> parse(name, value, Integer::parseInt)).orElse(defaultValue);
  }

  public long getLong(String name, long defaultValue) {
    return get(name).map(value -> parse(name, value, Long::parseLong)).orElse(defaultValue);
  }

  public boolean getBoolean(String name, boolean defaultValue) {
    return get(name)
        .map(
            value ->
                switch (value.toLowerCase(Locale.ROOT)) {
                  case "true", "yes", "1", "on" -> true;
                  case "false", "no", "0", "off" -> false;
                  default ->
                      throw new ConfigException(
                          name + " must be true or false, not '" + value + "'");
                })
        .orElse(defaultValue);
  }

  /** Accepts {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601. */
  public Duration getDuration(String name, Duration defaultValue) {
    return get(name).map(value -> parseDuration(name, value)).orElse(defaultValue);
  }

  /** The settings as given, for handing on to a component that reads its own. */
  public Map<String, String> asMap() {
    return values;
  }

  static Duration parseDuration(String name, String value) {
    Matcher matcher = SHORT_DURATION.matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          name + " must be a duration such as 30s, 5m or PT30S, not '" + value + "'");
    }
  }

  private interface Parser<T> {
    T parse(String value);
  }

  private static <T> T parse(String name, String value, Parser<T> parser) {
    try {
      return parser.parse(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number, not '" + value + "'");
    }
  }
}
