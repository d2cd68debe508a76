package dev.switchboard.account.web;

import dev.switchboard.account.presence.PresenceService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/presence")
@Tag(name = "presence", description = "Who is online")
public class PresenceController {
  /** One GetRoutes call per request; a bound keeps it cheap. */
  static final int MAX_USER_IDS = 200;

  private final PresenceService presence;

  public PresenceController(PresenceService presence) {
    this.presence = presence;
  }

  @GetMapping
  @Operation(
      summary = "Online flags of up to 200 users",
      security = @SecurityRequirement(name = "bearer"))
  public PresenceResponse presence(
      @RequestParam
          @NotEmpty(message = "must name at least one user id")
          @Size(max = MAX_USER_IDS, message = "must name at most " + MAX_USER_IDS + " user ids")
          List<@Positive(message = "must be positive") Long> userIds) {
    return new PresenceResponse(presence.presence(userIds));
  }

  @GetMapping("/online")
  @Operation(
      summary = "Online users with their profiles",
      security = @SecurityRequirement(name = "bearer"))
  public OnlineUsersResponse online(
      @RequestParam(defaultValue = "100")
          @Min(value = 1, message = "must be at least 1")
          @Max(value = 1000, message = "must be at most 1000")
          int limit) {
    return OnlineUsersResponse.of(presence.online(limit));
  }
}
