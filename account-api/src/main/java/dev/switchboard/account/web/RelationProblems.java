package dev.switchboard.account.web;

import dev.switchboard.account.friends.RelationError;
import dev.switchboard.account.friends.RelationResult;
import dev.switchboard.account.web.problem.ProblemCode;
import dev.switchboard.account.web.problem.ProblemException;

/** The one mapping from refused relation operations to problem codes. */
final class RelationProblems {
  private RelationProblems() {}

  /** The value of a done operation; a refusal is thrown as its problem. */
  static <T> T valueOrThrow(RelationResult<T> result) {
    if (result instanceof RelationResult.Done<T> done) {
      return done.value();
    }
    RelationResult.Refused<T> refused = (RelationResult.Refused<T>) result;
    throw new ProblemException(code(refused.error()), refused.detail());
  }

  static ProblemCode code(RelationError error) {
    return switch (error) {
      case REQUEST_TO_SELF -> ProblemCode.INVALID_FRIEND_REQUEST;
      case BLOCK_SELF -> ProblemCode.VALIDATION_FAILED;
      case USER_NOT_FOUND -> ProblemCode.USER_NOT_FOUND;
      case ALREADY_FRIENDS -> ProblemCode.ALREADY_FRIENDS;
      case BLOCKED -> ProblemCode.BLOCKED;
      case FRIEND_LIMIT_REACHED -> ProblemCode.FRIEND_LIMIT_REACHED;
      case PENDING_LIMIT_REACHED -> ProblemCode.PENDING_LIMIT_REACHED;
      case REQUEST_NOT_FOUND -> ProblemCode.FRIEND_REQUEST_NOT_FOUND;
      case NOT_YOUR_REQUEST -> ProblemCode.NOT_YOUR_REQUEST;
      case REQUEST_NOT_PENDING -> ProblemCode.FRIEND_REQUEST_NOT_PENDING;
      case NOT_FRIENDS -> ProblemCode.NOT_FRIENDS;
    };
  }
}
