package dev.switchboard.devkit.junit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only record of the first server instance of each type that any test class of this JVM was
 * given, so a second class can check that it got the very same one.
 */
final class SharedInstances {

  private static final Map<Class<?>, Object> FIRST_SEEN = new ConcurrentHashMap<>();

  private SharedInstances() {}

  /** The first instance of {@code server}'s type seen in this JVM (possibly {@code server}). */
  static Object firstSeen(Object server) {
    return FIRST_SEEN.computeIfAbsent(server.getClass(), type -> server);
  }
}
