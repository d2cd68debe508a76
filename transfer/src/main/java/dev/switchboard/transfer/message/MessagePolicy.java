package dev.switchboard.transfer.message;

import dev.switchboard.common.config.ConfigException;
import java.util.Locale;

/** Who may message whom (IM_MESSAGE_POLICY). Blocks apply under every policy. */
public enum MessagePolicy {
  /** Only friends may message each other (the default: no spam from strangers). */
  FRIENDS_ONLY("friends-only"),
  /** Anybody may message anybody they have not blocked and who has not blocked them. */
  OPEN("open");

  private final String configName;

  MessagePolicy(String configName) {
    this.configName = configName;
  }

  /** The value as written in IM_MESSAGE_POLICY. */
  public String configName() {
    return configName;
  }

  /**
   * @throws ConfigException naming {@code variable} for anything but friends-only or open
   */
  public static MessagePolicy parse(String variable, String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    for (MessagePolicy policy : values()) {
      if (policy.configName.equals(v)) {
        return policy;
      }
    }
    throw new ConfigException(variable + " must be friends-only or open, not '" + value + "'");
  }
}
