package dev.switchboard.account.web;

import dev.switchboard.account.friends.FriendRequestService;
import dev.switchboard.account.friends.SentRequest;
import dev.switchboard.common.auth.TokenClaims;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/friend-requests")
@Tag(name = "friend requests", description = "Asking, accepting, rejecting, cancelling")
public class FriendRequestsController {
  private final FriendRequestService requests;

  public FriendRequestsController(FriendRequestService requests) {
    this.requests = requests;
  }

  @PostMapping
  @Operation(
      summary = "Ask a user to be friends",
      description =
          "201 with a new request. 200 with the existing request when the caller asked that user"
              + " before (message updated, pending again), or with the other user's request,"
              + " ACCEPTED, when they had asked the caller already. 400 invalid-friend-request"
              + " (to self); 404 user-not-found; 409 already-friends; 403 blocked; 409"
              + " friend-limit-reached / pending-limit-reached",
      security = @SecurityRequirement(name = "bearer"))
  public ResponseEntity<FriendRequestView> send(
      @Parameter(hidden = true) TokenClaims session,
      @Valid @RequestBody SendFriendRequestBody body) {
    SentRequest sent =
        RelationProblems.valueOrThrow(
            requests.send(session.userId(), body.toUserId(), body.message()));
    FriendRequestView view = FriendRequestView.of(sent.request());
    if (sent.kind() == SentRequest.Kind.CREATED) {
      return ResponseEntity.created(URI.create("/api/v1/friend-requests/" + view.id())).body(view);
    }
    return ResponseEntity.ok(view);
  }

  @GetMapping
  @Operation(
      summary = "The caller's pending requests",
      description = "direction=in: to the caller; out: from the caller. Last changed first",
      security = @SecurityRequirement(name = "bearer"))
  public FriendRequestsResponse pending(
      @Parameter(hidden = true) TokenClaims session,
      @RequestParam(defaultValue = "in")
          @Pattern(regexp = "in|out", message = "must be 'in' or 'out'")
          String direction,
      @RequestParam(defaultValue = "100")
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 500, message = "must be at most 500")
          int limit) {
    FriendRequestService.Direction side =
        FriendRequestService.Direction.valueOf(direction.toUpperCase(Locale.ROOT));
    return new FriendRequestsResponse(
        requests.pending(session.userId(), side, limit).stream()
            .map(FriendRequestView::of)
            .toList());
  }

  @PostMapping("/{id}/accept")
  @Operation(
      summary = "Accept a request to the caller; the two are friends from now on",
      description =
          "404 friend-request-not-found; 403 not-your-request; 409 friend-request-not-pending;"
              + " 409 friend-limit-reached",
      security = @SecurityRequirement(name = "bearer"))
  public FriendRequestView accept(
      @Parameter(hidden = true) TokenClaims session, @PathVariable @Positive long id) {
    return FriendRequestView.of(
        RelationProblems.valueOrThrow(requests.accept(session.userId(), id)));
  }

  @PostMapping("/{id}/reject")
  @Operation(
      summary = "Reject a request to the caller",
      description =
          "404 friend-request-not-found; 403 not-your-request; 409 friend-request-not-pending",
      security = @SecurityRequirement(name = "bearer"))
  public FriendRequestView reject(
      @Parameter(hidden = true) TokenClaims session, @PathVariable @Positive long id) {
    return FriendRequestView.of(
        RelationProblems.valueOrThrow(requests.reject(session.userId(), id)));
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      summary = "Withdraw a request the caller made",
      description =
          "404 friend-request-not-found; 403 not-your-request; 409 friend-request-not-pending",
      security = @SecurityRequirement(name = "bearer"))
  public FriendRequestView cancel(
      @Parameter(hidden = true) TokenClaims session, @PathVariable @Positive long id) {
    return FriendRequestView.of(
        RelationProblems.valueOrThrow(requests.cancel(session.userId(), id)));
  }
}
