package dev.switchboard.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.retry.ManualScheduler;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ConversationHead;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.SyncReq;
import dev.switchboard.proto.SyncResp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyncDriverTest {

  private static final String CONV = "s_1_2";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private record Sent(long requestId, SyncReq req) {}

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<Sent> sent = new ArrayList<>();
  private final Map<String, Long> held = new HashMap<>();
  private final AtomicLong ids = new AtomicLong(100);
  private boolean connected = true;
  private SyncDriver driver;

  @BeforeEach
  void create() {
    driver = newDriver(SyncPolicy.defaults());
  }

  private SyncDriver newDriver(SyncPolicy policy) {
    return new SyncDriver(
        policy,
        REQUEST_TIMEOUT,
        scheduler,
        scheduler,
        ids::incrementAndGet,
        conv -> held.getOrDefault(conv, 0L),
        (id, req) -> {
          if (!connected) {
            return false;
          }
          sent.add(new Sent(id, req));
          return true;
        });
  }

  private static SyncResp page(boolean hasMore, String next, long... headMaxSeqs) {
    SyncResp.Builder b = SyncResp.newBuilder().setHasMore(hasMore).setNextCursor(next);
    for (long max : headMaxSeqs) {
      b.addHeads(ConversationHead.newBuilder().setConversationId(CONV).setMaxSeq(max));
    }
    return b.build();
  }

  private static AckMsg receipt(long id) {
    return AckMsg.newBuilder().setId(id).build();
  }

  private Sent last() {
    assertThat(sent).isNotEmpty();
    return sent.get(sent.size() - 1);
  }

  @Test
  void connectorsFirstPage_withMore_isFollowedBySyncReqWithItsNextCursor() {
    driver.onConnected();
    driver.onPage(0, page(true, "c1"));

    assertThat(sent).hasSize(1);
    assertThat(last().req().getCursor()).isEqualTo("c1");
    assertThat(last().req().getAckOnly()).isFalse();

    driver.onPage(last().requestId(), page(true, "c2"));
    assertThat(last().req().getCursor()).isEqualTo("c2");
    driver.onPage(last().requestId(), page(false, ""));
    assertThat(sent).hasSize(2); // the pass is over, nothing to acknowledge
    assertThat(driver.passInProgress()).isFalse();
  }

  @Test
  void passListener_hearsEachPassBegin_andOnlyTheEndOfCompletedOnes() {
    List<String> events = new ArrayList<>();
    driver =
        new SyncDriver(
            SyncPolicy.defaults(),
            REQUEST_TIMEOUT,
            scheduler,
            scheduler,
            ids::incrementAndGet,
            conv -> held.getOrDefault(conv, 0L),
            (id, req) -> sent.add(new Sent(id, req)),
            new SyncDriver.PassListener() {
              @Override
              public void passStarted() {
                events.add("started");
              }

              @Override
              public void passCompleted() {
                events.add("completed");
              }
            });
    driver.onConnected(); // the connector's own pass
    driver.request("gap"); // served right after it
    driver.onPage(0, page(true, "c1"));
    driver.onPage(last().requestId(), page(false, ""));
    assertThat(events).containsExactly("started", "completed", "started");

    scheduler.advance(REQUEST_TIMEOUT.toMillis()); // the second pass is never answered: abandoned
    assertThat(events).containsExactly("started", "completed", "started");
  }

  @Test
  void receiptsOfAPage_areAcknowledgedWithTheNextPageRequest_orAckOnlyAtTheEnd() {
    driver.onConnected();
    driver.onPage(0, page(true, "c1").toBuilder().addAcks(receipt(7)).addAcks(receipt(5)).build());

    // The last receipt of the page (pages are in receipt order), not the highest id.
    assertThat(last().req().getReceiptsThroughId()).isEqualTo(5);
    assertThat(last().req().getCursor()).isEqualTo("c1");

    driver.onPage(last().requestId(), page(false, "").toBuilder().addAcks(receipt(9)).build());
    assertThat(sent).hasSize(2);
    assertThat(last().req().getAckOnly()).isTrue();
    assertThat(last().req().getReceiptsThroughId()).isEqualTo(9);
    assertThat(driver.receiptsToAck()).isZero();
  }

  @Test
  void headAboveWhatIsHeld_syncsAgainAfter200ms_doublingTo2s_aBoundedNumberOfTimes() {
    driver = newDriver(SyncPolicy.defaults()); // 200ms .. 2s, 8 attempts
    driver.onConnected();
    held.put(CONV, 4L);
    driver.onPage(0, page(false, "", 5)); // seq 5 accepted, not stored yet

    assertThat(sent).isEmpty();
    List<Long> delays = new ArrayList<>();
    for (int attempt = 0; attempt < 8; attempt++) {
      int before = sent.size();
      long waited = 0;
      while (sent.size() == before) {
        scheduler.advance(100);
        waited += 100;
        assertThat(waited).isLessThanOrEqualTo(2000);
      }
      delays.add(waited);
      assertThat(last().req().getCursor()).isEmpty(); // a new pass from the device's cursors
      driver.onPage(last().requestId(), page(false, "", 5)); // still not stored
    }
    assertThat(delays).containsExactly(200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L, 2000L);

    int before = sent.size();
    scheduler.advance(60_000 - 1); // gave up chasing; (the idle sync is a minute away)
    assertThat(sent).hasSize(before);
  }

  @Test
  void headReached_endsTheRetries() {
    driver.onConnected();
    held.put(CONV, 4L);
    driver.onPage(0, page(false, "", 5));
    scheduler.advance(200);
    assertThat(sent).hasSize(1);

    held.put(CONV, 5L); // the retry's page brought seq 5
    driver.onPage(last().requestId(), page(false, "", 5));
    scheduler.advance(30_000);
    assertThat(sent).hasSize(1);
  }

  @Test
  void headsOfAllPagesOfAPass_areCheckedWhenThePassEnds() {
    driver.onConnected();
    held.put(CONV, 3L);
    driver.onPage(0, page(true, "c1", 10)); // the head of a conversation the next page continues
    assertThat(sent).hasSize(1);
    held.put(CONV, 10L);
    driver.onPage(last().requestId(), page(false, ""));

    scheduler.advance(30_000);
    assertThat(sent).hasSize(1); // 10 is held: no retry
  }

  @Test
  void gapRequest_whenIdle_startsAPassAtOnce_withAnEmptyCursor() {
    driver.onConnected();
    driver.onPage(0, page(false, ""));

    driver.request("gap");

    assertThat(sent).hasSize(1);
    assertThat(last().req().getCursor()).isEmpty();
    assertThat(last().req().getAckOnly()).isFalse();
    assertThat(driver.passInProgress()).isTrue();
  }

  @Test
  void requestsDuringAPass_areServedByOneMorePassAfterIt() {
    driver.onConnected();
    driver.request("gap a"); // the connector's first page is still coming
    driver.request("gap b");
    assertThat(sent).isEmpty();

    driver.onPage(0, page(false, ""));
    assertThat(sent).hasSize(1);
    assertThat(last().req().getCursor()).isEmpty();

    driver.onPage(last().requestId(), page(false, ""));
    assertThat(sent).hasSize(1);
  }

  @Test
  void noFirstPageFromTheConnector_theClientStartsThePassItself() {
    driver.onConnected();
    scheduler.advance(REQUEST_TIMEOUT.toMillis() - 1);
    assertThat(sent).isEmpty();

    scheduler.advance(1);
    assertThat(sent).hasSize(1);
    assertThat(last().req().getCursor()).isEmpty();
  }

  @Test
  void unsupportedError_stopsSyncingOnThisConnection_andIsNotForTheApplication() {
    driver.onConnected();
    scheduler.advance(REQUEST_TIMEOUT.toMillis());
    long id = last().requestId();

    assertThat(driver.onError(id, ErrorCode.UNSUPPORTED)).isTrue();
    driver.request("gap");
    scheduler.advance(120_000);
    assertThat(sent).hasSize(1);
    assertThat(driver.onError(4242, ErrorCode.UNSUPPORTED)).isFalse(); // not ours
    assertThat(driver.onError(0, ErrorCode.RATE_LIMITED)).isFalse();

    driver.onDisconnected();
    driver.onConnected(); // a new connection may be to a connector that syncs
    driver.onPage(0, page(true, "c1"));
    assertThat(sent).hasSize(2);
  }

  @Test
  void refusedOrUnansweredPage_isRetriedWithBackoff() {
    driver.onConnected();
    driver.onPage(0, page(true, "c1"));
    driver.onError(last().requestId(), ErrorCode.UNAVAILABLE);
    assertThat(sent).hasSize(1);

    scheduler.advance(200);
    assertThat(sent).hasSize(2);
    assertThat(last().req().getCursor()).isEmpty(); // the pass starts over

    scheduler.advance(REQUEST_TIMEOUT.toMillis()); // no answer
    scheduler.advance(400);
    assertThat(sent).hasSize(3);
  }

  @Test
  void idleSync_afterTheIntervalWithoutActivity_andActivityPostponesIt() {
    driver = newDriver(SyncPolicy.defaults().withIdleInterval(Duration.ofSeconds(60)));
    driver.onConnected();
    driver.onPage(0, page(false, ""));

    scheduler.advance(59_000);
    assertThat(sent).isEmpty();
    driver.onActivity(); // a message arrived
    scheduler.advance(59_000);
    assertThat(sent).isEmpty();

    scheduler.advance(1_000);
    assertThat(sent).hasSize(1);
    assertThat(last().req().getCursor()).isEmpty();
    driver.onPage(last().requestId(), page(false, "")); // nothing changed

    scheduler.advance(60_000);
    assertThat(sent).hasSize(2);
  }

  @Test
  void idleSync_zeroInterval_isOff() {
    driver = newDriver(SyncPolicy.defaults().withIdleInterval(Duration.ZERO));
    driver.onConnected();
    driver.onPage(0, page(false, ""));

    scheduler.advance(3_600_000);
    assertThat(sent).isEmpty();
  }

  @Test
  void whileDisconnected_nothingIsSent_andTimersStop() {
    driver.onConnected();
    held.put(CONV, 1L);
    driver.onPage(0, page(false, "", 9));
    driver.onDisconnected();

    driver.request("gap");
    scheduler.advance(3_600_000);
    assertThat(sent).isEmpty();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void receiptsOfAPageRequestLostInADisconnect_areAcknowledgedWhenTheServerSendsThemAgain() {
    driver.onConnected();
    driver.onPage(0, page(true, "c1").toBuilder().addAcks(receipt(3)).build());
    Sent pageRequest = last();
    driver.onDisconnected(); // the page request may never have arrived
    connected = false;
    assertThat(pageRequest.req().getReceiptsThroughId()).isEqualTo(3);

    connected = true;
    driver.onConnected();
    driver.onPage(0, page(false, "").toBuilder().addAcks(receipt(3)).addAcks(receipt(4)).build());
    assertThat(last().req().getAckOnly()).isTrue();
    assertThat(last().req().getReceiptsThroughId()).isEqualTo(4);
  }

  @Test
  void lateAnswerOfAnAbandonedRequest_countsButDoesNotDriveThePass() {
    driver.onConnected();
    driver.onPage(0, page(true, "c1"));
    long abandoned = last().requestId();
    scheduler.advance(REQUEST_TIMEOUT.toMillis()); // given up
    scheduler.advance(200); // the retry pass starts
    assertThat(sent).hasSize(2);

    driver.onPage(abandoned, page(true, "stale").toBuilder().addAcks(receipt(8)).build());
    assertThat(sent).hasSize(2); // no page request for the stale cursor
    driver.onPage(last().requestId(), page(false, ""));
    assertThat(last().req().getAckOnly()).isTrue(); // but its receipts are acknowledged
    assertThat(last().req().getReceiptsThroughId()).isEqualTo(8);
  }
}
