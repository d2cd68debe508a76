package dev.switchboard.account.web;

import dev.switchboard.account.auth.PublicEndpoint;
import dev.switchboard.account.user.PublicProfile;
import dev.switchboard.account.user.RegistrationResult;
import dev.switchboard.account.user.UserService;
import dev.switchboard.account.web.problem.ProblemCode;
import dev.switchboard.account.web.problem.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "users", description = "Registration and public profiles")
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

  @GetMapping("/{id}")
  @Operation(summary = "A user's public profile", security = @SecurityRequirement(name = "bearer"))
  public PublicProfile byId(@PathVariable @Positive long id) {
    return users.findById(id).orElseThrow(() -> notFound("id " + id));
  }

  @GetMapping
  @Operation(
      summary = "Look a user up by username",
      security = @SecurityRequirement(name = "bearer"))
  public PublicProfile byUsername(@RequestParam @NotBlank String username) {
    return users
        .findByUsername(username)
        .orElseThrow(() -> notFound("username '" + username + "'"));
  }

  private static ProblemException notFound(String what) {
    return new ProblemException(ProblemCode.USER_NOT_FOUND, "no user with " + what);
  }
}
