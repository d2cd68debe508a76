package dev.switchboard.account.web;

import dev.switchboard.account.history.HistoryResult;
import dev.switchboard.account.history.HistoryService;
import dev.switchboard.account.web.problem.ProblemCode;
import dev.switchboard.account.web.problem.ProblemException;
import dev.switchboard.common.auth.TokenClaims;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/conversations")
@Tag(name = "conversations", description = "Conversations and their message history")
public class ConversationsController {
  /** One History call reads at most this many rows; offline-store's own cap is higher. */
  static final int MAX_LIMIT = 100;

  private final HistoryService history;

  public ConversationsController(HistoryService history) {
    this.history = history;
  }

  @GetMapping("/{id}/messages")
  @Operation(
      summary = "One page of a conversation's history, going back in time",
      description =
          "Messages oldest first. beforeSeq: only messages with a lower seq, 0 or absent for the"
              + " latest; limit 1..100 (default 50). While hasMore, ask for the older page with"
              + " beforeSeq = nextBeforeSeq. 403 not-a-member; 400 validation-failed (malformed id,"
              + " limit or beforeSeq); 503 dependency-unavailable",
      security = @SecurityRequirement(name = "bearer"))
  public MessagePageResponse messages(
      @Parameter(hidden = true) TokenClaims session,
      @PathVariable String id,
      @RequestParam(defaultValue = "0") @Min(value = 0, message = "must not be negative")
          long beforeSeq,
      @RequestParam(defaultValue = "50")
          @Min(value = 1, message = "must be at least 1")
          @Max(value = MAX_LIMIT, message = "must be at most " + MAX_LIMIT)
          int limit) {
    HistoryResult result = history.page(session.userId(), id, beforeSeq, limit);
    if (result instanceof HistoryResult.Page page) {
      return MessagePageResponse.of(page.page());
    }
    if (result instanceof HistoryResult.InvalidConversationId invalid) {
      throw new ProblemException(ProblemCode.VALIDATION_FAILED, "id: " + invalid.reason());
    }
    throw new ProblemException(
        ProblemCode.NOT_A_MEMBER, "you are not a member of conversation " + id);
  }
}
