package dev.switchboard.account.web;

import dev.switchboard.account.auth.PublicEndpoint;
import dev.switchboard.account.user.LookupResult;
import dev.switchboard.account.user.ProfileChange;
import dev.switchboard.account.user.PublicProfile;
import dev.switchboard.account.user.RegistrationResult;
import dev.switchboard.account.user.UserService;
import dev.switchboard.account.web.problem.ProblemCode;
import dev.switchboard.account.web.problem.ProblemException;
import dev.switchboard.account.web.problem.RateLimitedException;
import dev.switchboard.common.auth.TokenClaims;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "users", description = "Registration and profiles")
public class UsersController {
  private final UserService users;

  public UsersController(UserService users) {
    this.users = users;
  }

  @PublicEndpoint
  @PostMapping
  @Operation(
      summary = "Register a new user",
      description =
          "201 with the profile; 409 username-taken (usernames are case-insensitive); 400"
              + " validation-failed")
  public ResponseEntity<PublicProfile> register(@Valid @RequestBody RegisterRequest request) {
    RegistrationResult result =
        users.register(request.username(), request.password(), request.nickname());
    if (result instanceof RegistrationResult.Registered registered) {
      PublicProfile profile = registered.profile();
      return ResponseEntity.created(URI.create("/api/v1/users/" + profile.userId())).body(profile);
    }
    throw new ProblemException(
        ProblemCode.USERNAME_TAKEN, "the username '" + request.username() + "' is taken");
  }

  @GetMapping("/me")
  @Operation(summary = "The caller's own profile", security = @SecurityRequirement(name = "bearer"))
  public PublicProfile me(@Parameter(hidden = true) TokenClaims session) {
    return users.me(session.userId()).orElseThrow(() -> notFound("id " + session.userId()));
  }

  @PatchMapping("/me")
  @Operation(
      summary = "Change the caller's nickname and/or avatar",
      description =
          "Absent fields are kept; an empty avatarUrl removes the avatar. nickname 1..64"
              + " characters; avatarUrl an absolute http(s) URL of at most 512 characters. 400"
              + " validation-failed",
      security = @SecurityRequirement(name = "bearer"))
  public PublicProfile updateMe(
      @Parameter(hidden = true) TokenClaims session,
      @Valid @RequestBody UpdateProfileRequest request) {
    return users
        .updateProfile(session.userId(), new ProfileChange(request.nickname(), request.avatarUrl()))
        .orElseThrow(() -> notFound("id " + session.userId()));
  }

  @GetMapping("/{id}")
  @Operation(
      summary = "A user's public profile",
      description = "404 user-not-found, also for a user who blocked the caller",
      security = @SecurityRequirement(name = "bearer"))
  public PublicProfile byId(
      @Parameter(hidden = true) TokenClaims session, @PathVariable @Positive long id) {
    return users.findVisible(session.userId(), id).orElseThrow(() -> notFound("id " + id));
  }

  @GetMapping
  @Operation(
      summary = "Look a user up by username",
      description =
          "Exact, case-insensitive. Rate limited per caller: 429 rate-limited with Retry-After."
              + " 404 user-not-found, also for a user who blocked the caller",
      security = @SecurityRequirement(name = "bearer"))
  public PublicProfile byUsername(
      @Parameter(hidden = true) TokenClaims session, @RequestParam @NotBlank String username) {
    LookupResult result = users.lookupByUsername(session.userId(), username);
    if (result instanceof LookupResult.Found found) {
      return found.profile();
    }
    if (result instanceof LookupResult.RateLimited limited) {
      throw new RateLimitedException(
          "too many username lookups; try again later", limited.retryAfter());
    }
    throw notFound("username '" + username + "'");
  }

  private static ProblemException notFound(String what) {
    return new ProblemException(ProblemCode.USER_NOT_FOUND, "no user with " + what);
  }
}
