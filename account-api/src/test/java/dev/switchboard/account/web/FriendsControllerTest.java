package dev.switchboard.account.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.switchboard.account.friends.BlockedUser;
import dev.switchboard.account.friends.Friend;
import dev.switchboard.account.friends.FriendRequest;
import dev.switchboard.account.friends.FriendRequestService;
import dev.switchboard.account.friends.FriendRequestStatus;
import dev.switchboard.account.friends.RelationError;
import dev.switchboard.account.friends.RelationResult;
import dev.switchboard.account.friends.SentRequest;
import dev.switchboard.account.user.PublicProfile;
import dev.switchboard.account.web.problem.ProblemCode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;

/** Friend requests, friends and blocks: request validation and the mapping of every outcome. */
class FriendsControllerTest extends WebSliceTest {
  private static final Instant T1 = Instant.parse("2030-01-01T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2030-01-01T11:00:00Z");
  private static final FriendRequest PENDING =
      new FriendRequest(5, 42, 7, "hi", FriendRequestStatus.PENDING, T1, T2);

  private MockMvcRequestBuilder authorized(MockMvcRequestBuilder request) {
    return request.header(HttpHeaders.AUTHORIZATION, bearer());
  }

  private MockMvcRequestBuilder sendRequest(String body) {
    return authorized(
            mvc.post().uri("/api/v1/friend-requests").contentType(MediaType.APPLICATION_JSON))
        .content(body);
  }

  // --- friend requests -----------------------------------------------------------------------

  @Test
  void newRequest_is201WithLocationAndTheRequest() {
    given(friendRequests.send(42, 7, "hi"))
        .willReturn(RelationResult.done(new SentRequest(PENDING, SentRequest.Kind.CREATED)));

    assertThat(sendRequest("{\"toUserId\":7,\"message\":\"hi\"}"))
        .hasStatus(HttpStatus.CREATED)
        .hasHeader(HttpHeaders.LOCATION, "/api/v1/friend-requests/5")
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"id":5,"fromUserId":42,"toUserId":7,"message":"hi","status":"PENDING",
             "createdAt":"2030-01-01T10:00:00.123Z","updatedAt":"2030-01-01T11:00:00Z"}""");
  }

  @Test
  void repeatedOrCrossedRequest_is200() {
    given(friendRequests.send(42, 7, null))
        .willReturn(RelationResult.done(new SentRequest(PENDING, SentRequest.Kind.UPDATED)));
    FriendRequest accepted =
        new FriendRequest(6, 8, 42, null, FriendRequestStatus.ACCEPTED, T1, T2);
    given(friendRequests.send(42, 8, null))
        .willReturn(RelationResult.done(new SentRequest(accepted, SentRequest.Kind.ACCEPTED)));

    assertThat(sendRequest("{\"toUserId\":7}")).hasStatusOk();
    assertThat(sendRequest("{\"toUserId\":8}"))
        .hasStatusOk()
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"id":6,"fromUserId":8,"toUserId":42,"message":null,"status":"ACCEPTED"}""");
  }

  @Test
  void requestWithBadBody_is400NamingTheField() {
    for (String body :
        List.of(
            "{}",
            "{\"toUserId\":0}",
            "{\"toUserId\":-4}",
            "{\"toUserId\":7,\"message\":\"%s\"}".formatted("m".repeat(201)),
            "{\"toUserId\":7,\"message\":\"a\\u0000b\"}")) {
      assertThat(sendRequest(body))
          .as(body)
          .hasStatus(HttpStatus.BAD_REQUEST)
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyJson()
          .extractingPath("$.code")
          .isEqualTo("validation-failed");
    }
    assertThat(sendRequest("{\"toUserId\":\"seven\"}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("malformed-request");
    verifyNoInteractions(friendRequests);
  }

  @Test
  void everyRefusal_isItsProblem() {
    record Case(RelationError error, HttpStatus status, String code) {}
    List<Case> cases =
        List.of(
            new Case(
                RelationError.REQUEST_TO_SELF, HttpStatus.BAD_REQUEST, "invalid-friend-request"),
            new Case(RelationError.USER_NOT_FOUND, HttpStatus.NOT_FOUND, "user-not-found"),
            new Case(RelationError.ALREADY_FRIENDS, HttpStatus.CONFLICT, "already-friends"),
            new Case(RelationError.BLOCKED, HttpStatus.FORBIDDEN, "blocked"),
            new Case(
                RelationError.FRIEND_LIMIT_REACHED, HttpStatus.CONFLICT, "friend-limit-reached"),
            new Case(
                RelationError.PENDING_LIMIT_REACHED, HttpStatus.CONFLICT, "pending-limit-reached"));
    for (Case c : cases) {
      given(friendRequests.send(42, 7, null))
          .willReturn(RelationResult.refused(c.error(), "because"));

      assertThat(sendRequest("{\"toUserId\":7}"))
          .as(c.error().name())
          .hasStatus(c.status())
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyJson()
          .isLenientlyEqualTo(
              """
              {"type":"https://switchboard.dev/problems/%s","status":%d,"code":"%s",
               "detail":"because"}"""
                  .formatted(c.code(), c.status().value(), c.code()));
    }
  }

  @Test
  void everyRelationError_hasAProblemCode() {
    for (RelationError error : EnumSet.allOf(RelationError.class)) {
      ProblemCode code = RelationProblems.code(error);
      assertThat(code.status().is4xxClientError()).as(error.name()).isTrue();
    }
  }

  @Test
  void acceptRejectCancel_answerTheRequestOrTheirProblem() {
    FriendRequest accepted =
        new FriendRequest(5, 7, 42, null, FriendRequestStatus.ACCEPTED, T1, T2);
    given(friendRequests.accept(42, 5)).willReturn(RelationResult.done(accepted));
    given(friendRequests.reject(42, 6))
        .willReturn(RelationResult.refused(RelationError.NOT_YOUR_REQUEST, "not yours"));
    given(friendRequests.cancel(42, 7))
        .willReturn(RelationResult.refused(RelationError.REQUEST_NOT_PENDING, "rejected"));
    given(friendRequests.accept(42, 9))
        .willReturn(RelationResult.refused(RelationError.REQUEST_NOT_FOUND, "no such"));

    assertThat(authorized(mvc.post().uri("/api/v1/friend-requests/5/accept")))
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.status")
        .isEqualTo("ACCEPTED");
    assertThat(authorized(mvc.post().uri("/api/v1/friend-requests/6/reject")))
        .hasStatus(HttpStatus.FORBIDDEN)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("not-your-request");
    assertThat(authorized(mvc.post().uri("/api/v1/friend-requests/7/cancel")))
        .hasStatus(HttpStatus.CONFLICT)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("friend-request-not-pending");
    assertThat(authorized(mvc.post().uri("/api/v1/friend-requests/9/accept")))
        .hasStatus(HttpStatus.NOT_FOUND)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("friend-request-not-found");
  }

  @Test
  void acceptWithBadId_is400() {
    assertThat(authorized(mvc.post().uri("/api/v1/friend-requests/abc/accept")))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
    assertThat(authorized(mvc.post().uri("/api/v1/friend-requests/0/accept")))
        .hasStatus(HttpStatus.BAD_REQUEST);
    verifyNoInteractions(friendRequests);
  }

  @Test
  void pendingList_byDirection() {
    given(friendRequests.pending(42, FriendRequestService.Direction.OUT, 100))
        .willReturn(List.of(PENDING));

    assertThat(authorized(mvc.get().uri("/api/v1/friend-requests").param("direction", "out")))
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.requests[0].id")
        .isEqualTo(5);
  }

  @Test
  void pendingListWithUnknownDirection_is400() {
    assertThat(authorized(mvc.get().uri("/api/v1/friend-requests").param("direction", "sideways")))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("direction");
    verifyNoInteractions(friendRequests);
  }

  @Test
  void friendRequestsWithoutBearer_are401() {
    assertThat(
            mvc.post()
                .uri("/api/v1/friend-requests")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"toUserId\":7}"))
        .hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(mvc.get().uri("/api/v1/friend-requests")).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(mvc.post().uri("/api/v1/friend-requests/5/accept"))
        .hasStatus(HttpStatus.UNAUTHORIZED);
    verifyNoInteractions(friendRequests);
  }

  // --- friends -------------------------------------------------------------------------------

  @Test
  void friends_listsProfilesWithOnlineAndSince() {
    given(friendships.friends(42))
        .willReturn(
            List.of(
                new Friend(
                    new PublicProfile(7, "bob", "Bob", "https://img.example/b.png"), true, T1)));

    assertThat(authorized(mvc.get().uri("/api/v1/friends")))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"friends":[{"userId":7,"username":"bob","nickname":"Bob",
              "avatarUrl":"https://img.example/b.png","online":true,
              "since":"2030-01-01T10:00:00.123Z"}]}""");
  }

  @Test
  void unfriend_is204Or404NotFriends() {
    given(friendships.unfriend(42, 7)).willReturn(RelationResult.done(null));
    given(friendships.unfriend(42, 8))
        .willReturn(RelationResult.refused(RelationError.NOT_FRIENDS, "not friends"));

    assertThat(authorized(mvc.delete().uri("/api/v1/friends/7"))).hasStatus(HttpStatus.NO_CONTENT);
    assertThat(authorized(mvc.delete().uri("/api/v1/friends/8")))
        .hasStatus(HttpStatus.NOT_FOUND)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("not-friends");
  }

  @Test
  void friendsWithoutBearer_are401() {
    assertThat(mvc.get().uri("/api/v1/friends")).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(mvc.delete().uri("/api/v1/friends/7")).hasStatus(HttpStatus.UNAUTHORIZED);
    verifyNoInteractions(friendships);
  }

  // --- blocks --------------------------------------------------------------------------------

  @Test
  void blockUnblockAndList() {
    given(blocks.block(42, 7)).willReturn(RelationResult.done(null));
    given(blocks.blocked(42)).willReturn(List.of(new BlockedUser(7, "bob", "Bob")));

    assertThat(authorized(mvc.put().uri("/api/v1/blocks/7"))).hasStatus(HttpStatus.NO_CONTENT);
    assertThat(authorized(mvc.delete().uri("/api/v1/blocks/7"))).hasStatus(HttpStatus.NO_CONTENT);
    assertThat(authorized(mvc.get().uri("/api/v1/blocks")))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"blocked":[{"userId":7,"username":"bob","nickname":"Bob"}]}""");
    verify(blocks).unblock(42, 7);
  }

  @Test
  void blockSelfOrUnknown_isItsProblem() {
    given(blocks.block(42, 42))
        .willReturn(RelationResult.refused(RelationError.BLOCK_SELF, "you cannot block yourself"));
    given(blocks.block(42, 99))
        .willReturn(RelationResult.refused(RelationError.USER_NOT_FOUND, "no user with id 99"));

    assertThat(authorized(mvc.put().uri("/api/v1/blocks/42")))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
    assertThat(authorized(mvc.put().uri("/api/v1/blocks/99")))
        .hasStatus(HttpStatus.NOT_FOUND)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("user-not-found");
  }

  @Test
  void blocksWithoutBearer_are401() {
    assertThat(mvc.put().uri("/api/v1/blocks/7")).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(mvc.get().uri("/api/v1/blocks")).hasStatus(HttpStatus.UNAUTHORIZED);
    verifyNoInteractions(blocks);
  }

  @Test
  void blockWithBadId_is400() {
    assertThat(authorized(mvc.put().uri("/api/v1/blocks/-1")))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
    verifyNoInteractions(blocks);
  }
}
