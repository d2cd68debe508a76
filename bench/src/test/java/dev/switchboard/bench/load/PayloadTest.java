package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadTest {
  @Test
  void body_hasTheRequestedSizeAndCarriesBothStamps() {
    String body = Payload.body(123_456_789_012L, 123_456_789_999L, 100);
    assertThat(body).hasSize(100);
    Payload.Stamps stamps = Payload.read(body);
    assertThat(stamps.intendedNanos()).isEqualTo(123_456_789_012L);
    assertThat(stamps.sentNanos()).isEqualTo(123_456_789_999L);
  }

  @Test
  void read_ignoresBodiesThatAreNotTheBenchmarks() {
    assertThat(Payload.read("hello Bob")).isNull();
    assertThat(Payload.read("a:b:c")).isNull();
  }
}
