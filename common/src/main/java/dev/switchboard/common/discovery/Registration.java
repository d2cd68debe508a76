package dev.switchboard.common.discovery;

/** A service instance's presence in ZooKeeper; closing it removes the instance. */
public interface Registration extends AutoCloseable {
  @Override
  void close();
}
