package dev.switchboard.account.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/sessions}. The username's format is not checked here: a name that
 * cannot exist simply fails like a wrong password.
 */
public record LoginRequest(
    @NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters")
        String username,
    @NotNull(message = "is required") @Size(max = 128, message = "must be at most 128 characters")
        String password,
    @NotBlank(message = "is required")
        @Size(max = 64, message = "must be 1 to 64 characters")
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String deviceId) {

  @Override
  public String toString() {
    return "LoginRequest[username=" + username + ", deviceId=" + deviceId + "]";
  }
}
