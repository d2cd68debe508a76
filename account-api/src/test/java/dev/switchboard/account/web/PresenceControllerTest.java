package dev.switchboard.account.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.switchboard.account.presence.Presence;
import dev.switchboard.account.user.PublicProfile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

class PresenceControllerTest extends WebSliceTest {

  @Test
  void presence_answersAFlagPerUser() {
    given(presence.presence(List.of(1L, 2L)))
        .willReturn(List.of(new Presence(1, true), new Presence(2, false)));

    assertThat(
            mvc.get()
                .uri("/api/v1/presence")
                .param("userIds", "1,2")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"presence":[{"userId":1,"online":true},{"userId":2,"online":false}]}""");
  }

  @Test
  void presenceWithBadIds_is400() {
    assertThat(
            mvc.get()
                .uri("/api/v1/presence")
                .param("userIds", "1,x")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
    assertThat(
            mvc.get()
                .uri("/api/v1/presence")
                .param("userIds", "-3")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
    verifyNoInteractions(presence);
  }

  @Test
  void online_answersCountAndProfiles() {
    given(presence.online(100)).willReturn(List.of(new PublicProfile(1, "alice", "Alice", null)));

    assertThat(mvc.get().uri("/api/v1/presence/online").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"count":1,"users":[{"userId":1,"username":"alice","nickname":"Alice","avatarUrl":null}]}""");
  }

  @Test
  void onlineWithLimitOutOfRange_is400() {
    assertThat(
            mvc.get()
                .uri("/api/v1/presence/online")
                .param("limit", "0")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("limit");
  }

  @Test
  void presenceWithoutBearer_is401() {
    assertThat(mvc.get().uri("/api/v1/presence").param("userIds", "1"))
        .hasStatus(HttpStatus.UNAUTHORIZED);
    verifyNoInteractions(presence);
  }
}
