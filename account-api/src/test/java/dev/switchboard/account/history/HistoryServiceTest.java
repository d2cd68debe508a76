package dev.switchboard.account.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import dev.switchboard.account.grpc.OfflineStoreClient;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.HistoryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may read what, decided before offline-store is asked for a page. The client is a stand-in
 * here only to see which calls are made; the calls themselves run against the real offline-store in
 * HistoryIT.
 */
class HistoryServiceTest {
  private final OfflineStoreClient offlineStore = mock(OfflineStoreClient.class);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HistoryService service = new HistoryService(offlineStore, meters);

  @Test
  void memberOfASingleConversation_getsThePageWithoutAMembershipCall() {
    given(offlineStore.history("s_3_12", 0, 20))
        .willReturn(
            HistoryResponse.newBuilder()
                .addMessages(ChatMsg.newBuilder().setSeq(5))
                .setHasMore(true)
                .setNextBeforeSeq(5)
                .build());

    HistoryResult result = service.page(12, "s_3_12", 0, 20);

    assertThat(result)
        .isEqualTo(
            new HistoryResult.Page(
                new HistoryPage(
                    "s_3_12", List.of(ChatMsg.newBuilder().setSeq(5).build()), true, 5)));
    verify(offlineStore).history("s_3_12", 0, 20);
    verifyNoMoreInteractions(offlineStore);
  }

  @Test
  void thirdUserOfASingleConversation_isNotAMemberAndNothingIsAsked() {
    assertThat(service.page(4, "s_3_12", 0, 20)).isEqualTo(new HistoryResult.NotAMember());

    verifyNoInteractions(offlineStore);
    assertThat(
            meters.get("account.history.requests").tag("outcome", "not-a-member").counter().count())
        .isEqualTo(1);
  }

  @Test
  void otherConversationKinds_askOfflineStoreForMembership() {
    given(offlineStore.isMember(4, "g_team")).willReturn(false);
    given(offlineStore.isMember(5, "g_team")).willReturn(true);
    given(offlineStore.history("g_team", 9, 50)).willReturn(HistoryResponse.getDefaultInstance());

    assertThat(service.page(4, "g_team", 9, 50)).isEqualTo(new HistoryResult.NotAMember());
    assertThat(service.page(5, "g_team", 9, 50)).isInstanceOf(HistoryResult.Page.class);
  }

  @Test
  void malformedId_isRefusedBeforeAnyCall() {
    assertThat(service.page(3, "s_12_3", 0, 20))
        .isInstanceOf(HistoryResult.InvalidConversationId.class);
    assertThat(service.page(3, "has space", 0, 20))
        .isInstanceOf(HistoryResult.InvalidConversationId.class);

    verifyNoInteractions(offlineStore);
  }
}
