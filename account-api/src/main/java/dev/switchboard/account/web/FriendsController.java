package dev.switchboard.account.web;

import dev.switchboard.account.friends.FriendshipService;
import dev.switchboard.common.auth.TokenClaims;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Positive;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/friends")
@Tag(name = "friends", description = "The friend list")
public class FriendsController {
  private final FriendshipService friendships;

  public FriendsController(FriendshipService friendships) {
    this.friendships = friendships;
  }

  @GetMapping
  @Operation(
      summary = "The caller's friends with their online state",
      security = @SecurityRequirement(name = "bearer"))
  public FriendsResponse friends(@Parameter(hidden = true) TokenClaims session) {
    return new FriendsResponse(
        friendships.friends(session.userId()).stream().map(FriendView::of).toList());
  }

  @DeleteMapping("/{userId}")
  @Operation(
      summary = "End a friendship",
      description = "204; 404 not-friends",
      security = @SecurityRequirement(name = "bearer"))
  public ResponseEntity<Void> unfriend(
      @Parameter(hidden = true) TokenClaims session, @PathVariable @Positive long userId) {
    RelationProblems.valueOrThrow(friendships.unfriend(session.userId(), userId));
    return ResponseEntity.noContent().build();
  }
}
