package dev.switchboard.account.web;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.BDDMockito.willThrow;

import dev.switchboard.account.auth.TokenAuthenticator;
import dev.switchboard.account.auth.UnauthorizedException;
import dev.switchboard.account.friends.BlockService;
import dev.switchboard.account.friends.FriendRequestService;
import dev.switchboard.account.friends.FriendshipService;
import dev.switchboard.account.history.HistoryService;
import dev.switchboard.account.presence.PresenceService;
import dev.switchboard.account.session.SessionService;
import dev.switchboard.account.user.UserService;
import dev.switchboard.common.auth.TokenClaims;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The web layer alone (controllers, bearer interceptor, problem advice) over mocked services; one
 * Spring context shared by every subclass.
 */
@WebMvcTest
abstract class WebSliceTest {
  static final String TOKEN = "good-token";
  static final TokenClaims SESSION =
      new TokenClaims(42, "laptop", "token-id-1", Instant.parse("2030-01-01T00:00:00Z"));

  @Autowired MockMvcTester mvc;
  @MockitoBean UserService users;
  @MockitoBean SessionService sessions;
  @MockitoBean PresenceService presence;
  @MockitoBean FriendRequestService friendRequests;
  @MockitoBean FriendshipService friendships;
  @MockitoBean BlockService blocks;
  @MockitoBean HistoryService history;
  @MockitoBean TokenAuthenticator authenticator;

  @BeforeEach
  void tokens() {
    willThrow(new UnauthorizedException("the token is not valid"))
        .given(authenticator)
        .authenticate(anyString());
    willThrow(new UnauthorizedException("a bearer token is required"))
        .given(authenticator)
        .authenticate(isNull());
    willReturn(SESSION).given(authenticator).authenticate("Bearer " + TOKEN);
  }

  static String bearer() {
    return "Bearer " + TOKEN;
  }
}
