package dev.switchboard.account.web;

import dev.switchboard.account.friends.BlockService;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/blocks")
@Tag(name = "blocks", description = "Blocking users")
public class BlocksController {
  private final BlockService blocks;

  public BlocksController(BlockService blocks) {
    this.blocks = blocks;
  }

  @PutMapping("/{userId}")
  @Operation(
      summary = "Block a user",
      description =
          "204, idempotent. Ends the friendship and cancels pending requests both ways; the"
              + " blocked user can no longer message the caller, send them requests or look them"
              + " up. 404 user-not-found; 400 validation-failed (self)",
      security = @SecurityRequirement(name = "bearer"))
  public ResponseEntity<Void> block(
      @Parameter(hidden = true) TokenClaims session, @PathVariable @Positive long userId) {
    RelationProblems.valueOrThrow(blocks.block(session.userId(), userId));
    return ResponseEntity.noContent().build();
  }

  @DeleteMapping("/{userId}")
  @Operation(
      summary = "Lift a block",
      description = "204, idempotent",
      security = @SecurityRequirement(name = "bearer"))
  public ResponseEntity<Void> unblock(
      @Parameter(hidden = true) TokenClaims session, @PathVariable @Positive long userId) {
    blocks.unblock(session.userId(), userId);
    return ResponseEntity.noContent().build();
  }

  @GetMapping
  @Operation(
      summary = "The users the caller blocked",
      security = @SecurityRequirement(name = "bearer"))
  public BlocksResponse blocked(@Parameter(hidden = true) TokenClaims session) {
    return new BlocksResponse(blocks.blocked(session.userId()));
  }
}
