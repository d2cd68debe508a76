package dev.switchboard.account.web;

import dev.switchboard.account.auth.PublicEndpoint;
import dev.switchboard.account.session.LoginResult;
import dev.switchboard.account.session.SessionService;
import dev.switchboard.account.web.problem.ProblemCode;
import dev.switchboard.account.web.problem.ProblemException;
import dev.switchboard.common.auth.TokenClaims;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/sessions")
@Tag(name = "sessions", description = "Login and logout")
public class SessionsController {
  private final SessionService sessions;

  public SessionsController(SessionService sessions) {
    this.sessions = sessions;
  }

  @PublicEndpoint
  @PostMapping
  @Operation(
      summary = "Log in",
      description =
          "Checks the password, picks a connector and issues a token for the device. 401"
              + " invalid-credentials; 503 no-connector-available")
  public LoginResponse login(@Valid @RequestBody LoginRequest request) {
    LoginResult result = sessions.login(request.username(), request.password(), request.deviceId());
    if (result instanceof LoginResult.LoggedIn loggedIn) {
      return LoginResponse.of(loggedIn);
    }
    if (result instanceof LoginResult.NoConnectorAvailable) {
      throw new ProblemException(
          ProblemCode.NO_CONNECTOR_AVAILABLE, "no connector is available, try again later");
    }
    throw new ProblemException(
        ProblemCode.INVALID_CREDENTIALS, "the username or password is not correct");
  }

  @DeleteMapping("/current")
  @Operation(
      summary = "Log out",
      description = "Revokes the token and closes that device's connection",
      security = @SecurityRequirement(name = "bearer"))
  public ResponseEntity<Void> logout(@Parameter(hidden = true) TokenClaims session) {
    sessions.logout(session);
    return ResponseEntity.noContent().build();
  }
}
