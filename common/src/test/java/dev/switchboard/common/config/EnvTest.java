package dev.switchboard.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
  @Test
  void shortDurations_andIsoDurations_areRead() {
    Env env =
        Env.of(Map.of("A", "250ms", "B", "30s", "C", "5m", "D", "2h", "E", "7d", "F", "PT1M30S"));

    assertThat(env.getDuration("A", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(env.getDuration("B", null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(env.getDuration("C", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(env.getDuration("D", null)).isEqualTo(Duration.ofHours(2));
    assertThat(env.getDuration("E", null)).isEqualTo(Duration.ofDays(7));
    assertThat(env.getDuration("F", null)).isEqualTo(Duration.ofSeconds(90));
    assertThat(env.getDuration("MISSING", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void badValues_failNamingTheSetting() {
    Env env = Env.of(Map.of("IM_PORT", "eighty", "IM_WAIT", "soon", "IM_FLAG", "maybe"));

    assertThatThrownBy(() -> env.getInt("IM_PORT", 1)).hasMessageContaining("IM_PORT");
    assertThatThrownBy(() -> env.getDuration("IM_WAIT", null)).hasMessageContaining("IM_WAIT");
    assertThatThrownBy(() -> env.getBoolean("IM_FLAG", false)).hasMessageContaining("IM_FLAG");
    assertThatThrownBy(() -> env.require("IM_MISSING"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_MISSING");
  }

  @Test
  void blankValues_countAsUnset() {
    Env env = Env.of(Map.of("IM_X", "  "));

    assertThat(env.get("IM_X")).isEmpty();
    assertThat(env.get("IM_X", "default")).isEqualTo("default");
  }
}
