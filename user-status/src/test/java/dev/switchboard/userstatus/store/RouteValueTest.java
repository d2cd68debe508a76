package dev.switchboard.userstatus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteValueTest {

  @Test
  void encode_joinsConnectorSessionAndExpiry() {
    assertThat(RouteValue.encode("conn-a", "s-1", 1_700_000_000_123L))
        .isEqualTo("conn-a|s-1|1700000000123");
  }

  @Test
  void decode_readsBackWhatEncodeWrote() {
    String value = RouteValue.encode("conn-a", "s-1", 1_700_000_000_123L);

    assertThat(RouteValue.decode(42, "phone|tablet", value))
        .contains(new Route(42, "phone|tablet", "conn-a", "s-1", 1_700_000_000_123L));
  }

  @Test
  void encode_refusesSeparatorInsideIds() {
    assertThatThrownBy(() -> RouteValue.encode("conn|a", "s-1", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RouteValue.encode("conn-a", "s|1", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "conn-a",
        "conn-a|s-1",
        "|s-1|123",
        "conn-a||123",
        "conn-a|s-1|",
        "conn-a|s-1|12x",
        "conn-a|s-1|123|extra"
      })
  void decode_ofAValueNotInTheRouteShape_isEmpty(String value) {
    assertThat(RouteValue.decode(42, "phone", value)).isEmpty();
  }
}
