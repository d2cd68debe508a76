package dev.switchboard.bench.setup;

/** A user the benchmark registered for this run. */
public record BenchAccount(long userId, String username, String password) {
  @Override
  public String toString() {
    return "BenchAccount[" + userId + ", " + username + "]";
  }
}
