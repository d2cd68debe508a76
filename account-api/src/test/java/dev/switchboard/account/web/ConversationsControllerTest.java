package dev.switchboard.account.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.switchboard.account.grpc.DependencyUnavailableException;
import dev.switchboard.account.history.HistoryPage;
import dev.switchboard.account.history.HistoryResult;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.FileRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;

/** The history endpoint: parameter validation, the answer's shape and every outcome's problem. */
class ConversationsControllerTest extends WebSliceTest {
  private static final String CONVERSATION = "s_7_42";
  private static final ChatMsg TEXT =
      ChatMsg.newBuilder()
          .setId(9001)
          .setClientMsgId("c-1")
          .setFromId(7)
          .setDestId(42)
          .setConversationId(CONVERSATION)
          .setConversationType(ConversationType.SINGLE)
          .setContentType(ContentType.TEXT)
          .setMsgBody("hello")
          .setSeq(11)
          .setSentAtMs(1_893_456_000_123L)
          .build();
  private static final ChatMsg FILE =
      TEXT.toBuilder()
          .setId(9002)
          .setFromId(42)
          .setDestId(7)
          .setContentType(ContentType.FILE)
          .setMsgBody("")
          .setFile(
              FileRef.newBuilder()
                  .setFileId("f-1")
                  .setName("cat.png")
                  .setSize(2048)
                  .setMime("image/png")
                  .setSha256("ab12"))
          .setSeq(12)
          .setSentAtMs(1_893_456_001_000L)
          .build();

  private MockMvcRequestBuilder messages(String conversationId) {
    return mvc.get()
        .uri("/api/v1/conversations/{id}/messages", conversationId)
        .header(HttpHeaders.AUTHORIZATION, bearer());
  }

  @Test
  void page_answersTheMessagesOldestFirstWithThePagingFields() {
    given(history.page(42, CONVERSATION, 13, 2))
        .willReturn(
            new HistoryResult.Page(new HistoryPage(CONVERSATION, List.of(TEXT, FILE), true, 11)));

    assertThat(messages(CONVERSATION).param("beforeSeq", "13").param("limit", "2"))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"conversationId":"s_7_42","hasMore":true,"nextBeforeSeq":11,"messages":[
             {"id":9001,"seq":11,"fromId":7,"destId":42,"conversationType":"SINGLE",
              "contentType":"TEXT","body":"hello","sentAt":"2030-01-01T00:00:00.123Z",
              "sentAtMs":1893456000123},
             {"id":9002,"seq":12,"fromId":42,"destId":7,"conversationType":"SINGLE",
              "contentType":"FILE","body":"",
              "file":{"fileId":"f-1","name":"cat.png","size":2048,"mime":"image/png","sha256":"ab12"},
              "sentAt":"2030-01-01T00:00:01Z","sentAtMs":1893456001000}]}""");
  }

  @Test
  void withoutParameters_asksForTheLatest50() {
    given(history.page(42, CONVERSATION, 0, 50))
        .willReturn(new HistoryResult.Page(new HistoryPage(CONVERSATION, List.of(), false, 0)));

    assertThat(messages(CONVERSATION))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"conversationId":"s_7_42","messages":[],"hasMore":false,"nextBeforeSeq":0}""");
    verify(history).page(42, CONVERSATION, 0, 50);
  }

  @Test
  void limitOutOfRangeOrNotANumber_is400ValidationFailedNamingIt() {
    for (String limit : List.of("0", "101", "-5")) {
      assertThat(messages(CONVERSATION).param("limit", limit))
          .hasStatus(HttpStatus.BAD_REQUEST)
          .bodyJson()
          .satisfies(
              body -> {
                assertThat(body).extractingPath("$.code").isEqualTo("validation-failed");
                assertThat(body).extractingPath("$.errors[0].field").isEqualTo("limit");
              });
    }
    assertThat(messages(CONVERSATION).param("limit", "ten"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
    verifyNoInteractions(history);
  }

  @Test
  void negativeOrNonNumericBeforeSeq_is400ValidationFailed() {
    assertThat(messages(CONVERSATION).param("beforeSeq", "-1"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("beforeSeq");
    assertThat(messages(CONVERSATION).param("beforeSeq", "latest"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
    verifyNoInteractions(history);
  }

  @Test
  void malformedConversationId_is400ValidationFailed() {
    given(history.page(42, "s_42_7", 0, 50))
        .willReturn(new HistoryResult.InvalidConversationId("not canonical"));

    assertThat(messages("s_42_7"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType("application/problem+json")
        .bodyJson()
        .satisfies(
            body -> {
              assertThat(body).extractingPath("$.code").isEqualTo("validation-failed");
              assertThat(body).extractingPath("$.detail").isEqualTo("id: not canonical");
            });
  }

  @Test
  void notAMember_is403NotAMember() {
    given(history.page(42, "s_7_8", 0, 50)).willReturn(new HistoryResult.NotAMember());

    assertThat(messages("s_7_8"))
        .hasStatus(HttpStatus.FORBIDDEN)
        .hasContentType("application/problem+json")
        .bodyJson()
        .satisfies(
            body -> {
              assertThat(body).extractingPath("$.code").isEqualTo("not-a-member");
              assertThat(body)
                  .extractingPath("$.type")
                  .isEqualTo("https://switchboard.dev/problems/not-a-member");
              assertThat(body).extractingPath("$.status").isEqualTo(403);
            });
  }

  @Test
  void offlineStoreUnreachable_is503DependencyUnavailableWithRetryAfter() {
    given(history.page(42, CONVERSATION, 0, 50))
        .willThrow(
            new DependencyUnavailableException(
                ServiceNames.OFFLINE_STORE, "offline-store History failed: UNAVAILABLE", null));

    assertThat(messages(CONVERSATION))
        .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
        .hasHeader(HttpHeaders.RETRY_AFTER, "1")
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("dependency-unavailable");
  }

  @Test
  void withoutBearer_is401() {
    assertThat(mvc.get().uri("/api/v1/conversations/{id}/messages", CONVERSATION))
        .hasStatus(HttpStatus.UNAUTHORIZED)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("unauthorized");
    verifyNoInteractions(history);
  }
}
