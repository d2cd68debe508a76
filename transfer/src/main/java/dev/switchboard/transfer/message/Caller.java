package dev.switchboard.transfer.message;

/**
 * The waiting side of one call, as far as the work needs to know it: whether anyone still waits for
 * the answer, and for how long. Lets the intake skip work nobody will see (above all, taking a seq
 * for a call that was already given up) and answer before the caller's deadline.
 */
public interface Caller {
  /** A caller that waits as long as it takes (no deadline, never cancels). */
  Caller PATIENT =
      new Caller() {
        @Override
        public boolean gone() {
          return false;
        }

        @Override
        public long nanosLeft() {
          return Long.MAX_VALUE;
        }
      };

  /** True once the caller cancelled or its deadline passed: the answer would reach nobody. */
  boolean gone();

  /** Time until the caller's deadline, {@link Long#MAX_VALUE} if it set none. */
  long nanosLeft();
}
