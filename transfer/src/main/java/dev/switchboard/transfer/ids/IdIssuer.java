package dev.switchboard.transfer.ids;

/** Issues 64-bit ids that are unique across all transfer instances and roughly time-ordered. */
@FunctionalInterface
public interface IdIssuer {
  /**
   * @throws IdUnavailableException if no id can be issued safely right now
   */
  long nextId();
}
