package dev.switchboard.bench.lean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourceAddressesTest {
  @Test
  void connectionsMoveToTheNextLoopbackAddressEveryPerAddress() {
    SourceAddresses sources = new SourceAddresses(20_000);
    assertThat(sources.forConnection(0).getHostAddress()).isEqualTo("127.1.0.1");
    assertThat(sources.forConnection(19_999).getHostAddress()).isEqualTo("127.1.0.1");
    assertThat(sources.forConnection(20_000).getHostAddress()).isEqualTo("127.1.0.2");
    assertThat(sources.forConnection(199_999).getHostAddress()).isEqualTo("127.1.0.10");
    assertThat(sources.forConnection(0).isLoopbackAddress()).isTrue();
    assertThat(sources.addressesFor(200_000)).isEqualTo(10);
  }

  @Test
  void aRunStartingElsewhereWrapsAroundTheRange() {
    SourceAddresses sources = new SourceAddresses(10, SourceAddresses.ADDRESSES - 1);
    assertThat(sources.forConnection(0).getHostAddress()).isEqualTo("127.1.249.250");
    assertThat(sources.forConnection(10).getHostAddress()).isEqualTo("127.1.0.1");
  }

  @Test
  void perAddressMustBePositive() {
    assertThatThrownBy(() -> new SourceAddresses(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
