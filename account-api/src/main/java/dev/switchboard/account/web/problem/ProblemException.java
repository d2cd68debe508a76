package dev.switchboard.account.web.problem;

/**
 * Thrown by controllers to answer an expected outcome (a service result such as "username taken")
 * with its problem; {@link ProblemAdvice} renders it.
 */
public final class ProblemException extends RuntimeException {
  private final ProblemCode code;

  public ProblemException(ProblemCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public ProblemCode code() {
    return code;
  }
}
