package dev.switchboard.bench.lean;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Local addresses for many connections to one connector. One (source address, destination) pair has
 * only the ephemeral port range (about 28,000 ports here) to tell its connections apart, so past
 * that the load generator binds each socket to another address of 127.0.0.0/8, which Linux routes
 * to the loopback interface as a whole: 127.1.0.1, 127.1.0.2, ...
 */
public final class SourceAddresses {
  private final int perAddress;

  /**
   * @param perAddress connections per source address (below the ephemeral port range)
   */
  public SourceAddresses(int perAddress) {
    if (perAddress < 1) {
      throw new IllegalArgumentException("perAddress must be >= 1");
    }
    this.perAddress = perAddress;
  }

  /** The address the {@code i}-th connection binds to. */
  public InetAddress forConnection(int i) {
    int index = i / perAddress;
    if (index >= 250 * 250) {
      throw new IllegalArgumentException("too many connections for 127.1.0.0/16: " + i);
    }
    byte[] ip = {127, 1, (byte) (index / 250), (byte) (index % 250 + 1)};
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public int addressesFor(int connections) {
    return (connections + perAddress - 1) / perAddress;
  }
}
