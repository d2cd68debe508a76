package dev.switchboard.account.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/users}. */
public record RegisterRequest(
    @NotNull(message = "is required")
        @Pattern(
            regexp = "[A-Za-z0-9_.-]{3,32}",
            message = "must be 3 to 32 characters of A-Z, a-z, 0-9, '_', '.', '-'")
        String username,
    @NotNull(message = "is required")
        @Size(min = 8, max = 128, message = "must be 8 to 128 characters")
        String password,
    @Size(max = 64, message = "must be at most 64 characters")
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String nickname) {

  /** Passwords never appear in logs or error pages. */
  @Override
  public String toString() {
    return "RegisterRequest[username=" + username + ", nickname=" + nickname + "]";
  }
}
