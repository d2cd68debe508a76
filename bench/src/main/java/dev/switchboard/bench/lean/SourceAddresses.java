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
  /** 127.1.0.1 .. 127.1.249.250. */
  static final int ADDRESSES = 250 * 250;

  private final int perAddress;
  private final int firstAddress;

  /**
   * @param perAddress connections per source address (below the ephemeral port range)
   */
  public SourceAddresses(int perAddress) {
    this(perAddress, 0);
  }

  /**
   * @param firstAddress index of the first address to use. A run closes its connections first, so
   *     their ports stay in TIME_WAIT for a minute; the next run starts elsewhere in the range
   *     ({@link #randomStart}) instead of finding those ports taken.
   */
  public SourceAddresses(int perAddress, int firstAddress) {
    if (perAddress < 1) {
      throw new IllegalArgumentException("perAddress must be >= 1");
    }
    if (firstAddress < 0 || firstAddress >= ADDRESSES) {
      throw new IllegalArgumentException("firstAddress must be 0.." + (ADDRESSES - 1));
    }
    this.perAddress = perAddress;
    this.firstAddress = firstAddress;
  }

  /** Starts at a random address, so that back-to-back runs use different ones. */
  public static SourceAddresses randomStart(int perAddress) {
    return new SourceAddresses(
        perAddress, java.util.concurrent.ThreadLocalRandom.current().nextInt(ADDRESSES));
  }

  /** The address the {@code i}-th connection binds to. */
  public InetAddress forConnection(int i) {
    if (i / perAddress >= ADDRESSES) {
      throw new IllegalArgumentException("too many connections for 127.1.0.0/16: " + i);
    }
    int index = (firstAddress + i / perAddress) % ADDRESSES;
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
