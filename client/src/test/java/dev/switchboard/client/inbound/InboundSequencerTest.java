package dev.switchboard.client.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.inbound.InboundSequencer.Status;
import dev.switchboard.proto.ChatMsg;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboundSequencerTest {

  private static final String CONV = "s_1_2";
  private static final Duration HOLD_BACK = Duration.ofSeconds(1);

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final List<String> gaps = new ArrayList<>();
  private final GapListener gapListener =
      new GapListener() {
        @Override
        public void onGapDetected(String conversationId, long fromSeq, long toSeq) {
          gaps.add("detected " + conversationId + " " + fromSeq + ".." + toSeq);
        }

        @Override
        public void onGapSkipped(String conversationId, long fromSeq, long toSeq) {
          gaps.add("skipped " + conversationId + " " + fromSeq + ".." + toSeq);
        }
      };
  private final InboundSequencer sequencer =
      new InboundSequencer(HOLD_BACK, 1000, clock, gapListener);

  /** Message with id = 100 + seq, so ids and seqs are easy to tell apart. */
  private static ChatMsg msg(String conv, long seq) {
    return ChatMsg.newBuilder()
        .setId(100 + seq)
        .setConversationId(conv)
        .setSeq(seq)
        .setFromId(2)
        .setMsgBody("m" + seq)
        .build();
  }

  private static ChatMsg msg(long seq) {
    return msg(CONV, seq);
  }

  private List<Long> accept(long... seqs) {
    List<Long> surfaced = new ArrayList<>();
    for (long seq : seqs) {
      surfaced.addAll(seqsOf(sequencer.accept(msg(seq)).surfaced()));
    }
    return surfaced;
  }

  private static List<Long> seqsOf(List<ChatMsg> msgs) {
    return msgs.stream().map(ChatMsg::getSeq).toList();
  }

  @Test
  void inOrderMessages_areSurfacedAtOnce() {
    assertThat(accept(1, 2, 3)).containsExactly(1L, 2L, 3L);
    assertThat(sequencer.lastSurfacedSeq(CONV)).isEqualTo(3);
  }

  @Test
  void firstMessageBeyondSeqOne_waitsForTheDevicesCursor_thenEverythingSurfacesInOrder() {
    assertThat(accept(42, 43)).isEmpty();
    assertThat(sequencer.heldCount(CONV)).isEqualTo(2);

    // The sync page says the device holds everything through 40: 41 is missing and is fetched.
    assertThat(sequencer.noteDelivered(CONV, 40)).isEmpty();
    assertThat(gaps).containsExactly("detected s_1_2 41..41");
    assertThat(accept(41)).containsExactly(41L, 42L, 43L);
  }

  @Test
  void firstMessageRightAfterTheCursor_surfacesAsSoonAsTheCursorIsKnown() {
    assertThat(accept(41)).isEmpty();
    assertThat(seqsOf(sequencer.noteDelivered(CONV, 40))).containsExactly(41L);
    assertThat(accept(42)).containsExactly(42L);
  }

  @Test
  void heldMessagesAtOrBelowTheCursor_areSurfacedInSeqOrder_thenTheRest() {
    accept(9, 7, 12);
    assertThat(seqsOf(sequencer.noteDelivered(CONV, 10))).containsExactly(7L, 9L);
    assertThat(accept(11)).containsExactly(11L, 12L);
  }

  @Test
  void aPassBegunAfterTheHold_thatEndsWithoutAHead_settlesTheStart() {
    sequencer.syncPassStarted(); // e.g. the login pass, begun before the push arrived
    accept(8, 9);
    assertThat(sequencer.syncPassCompleted()).as("a pass begun before the hold").isEmpty();

    sequencer.syncPassStarted();
    assertThat(seqsOf(sequencer.syncPassCompleted())).containsExactly(8L, 9L);
    assertThat(accept(10)).containsExactly(10L);
  }

  @Test
  void aPassThatWasAbandoned_settlesNothing() {
    accept(8);
    sequencer.syncPassStarted();
    sequencer.syncPassStarted(); // the first one timed out; a new one replaced it
    assertThat(seqsOf(sequencer.syncPassCompleted())).containsExactly(8L);
    assertThat(sequencer.syncPassCompleted()).as("no pass running").isEmpty();
  }

  @Test
  void aGapThatStaysOpen_asksForASyncAgain_atGrowingIntervals_untilItFills() {
    InboundSequencer patient =
        new InboundSequencer(Duration.ofMinutes(5), 1000, clock, gapListener);
    patient.accept(msg(1));
    assertThat(patient.accept(msg(3)).status()).isEqualTo(Status.HELD);
    long heldAt = now.get();
    List<Long> nudges = new ArrayList<>();
    while (now.get() - heldAt < 60_000) {
      now.set(patient.nextExpiryMillis().orElseThrow());
      int before = gaps.size();
      assertThat(patient.releaseExpired()).isEmpty();
      if (gaps.size() > before) {
        nudges.add(now.get() - heldAt);
      }
    }
    assertThat(nudges).startsWith(500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L, 47_500L);
    assertThat(gaps).allMatch(g -> g.equals("detected s_1_2 2..2"));
    assertThat(seqsOf(patient.accept(msg(2)).surfaced())).containsExactly(2L, 3L);
    assertThat(patient.nextExpiryMillis()).isEmpty();
  }

  @Test
  void aNewlyWaitingConversation_isDueAtItsFirstNudge_evenWhenAnotherWaitsLonger() {
    InboundSequencer patient =
        new InboundSequencer(Duration.ofMinutes(5), 1000, clock, gapListener);
    patient.accept(msg("s_1_2", 1));
    patient.accept(msg("s_1_2", 3)); // waits; after a few nudges the next one is 16s away
    for (int i = 0; i < 5; i++) {
      now.set(patient.nextExpiryMillis().orElseThrow());
      patient.releaseExpired();
    }
    assertThat(patient.nextExpiryMillis()).hasValue(now.get() + 16_000);
    patient.accept(msg("s_1_3", 1).toBuilder().setId(901).build());
    patient.accept(msg("s_1_3", 3).toBuilder().setId(903).build());
    assertThat(patient.nextExpiryMillis()).hasValue(now.get() + 500);
  }

  @Test
  void aStartThatNoSyncSettles_isGivenUpOnAfterTheHoldBack_inSeqOrder() {
    accept(6, 5);
    now.addAndGet(HOLD_BACK.toMillis());
    assertThat(seqsOf(sequencer.releaseExpired())).containsExactly(5L, 6L);
    assertThat(accept(7)).containsExactly(7L);
  }

  @Test
  void messageAfterGap_isHeldUntilTheGapFills_thenAllSurfaceInOrder() {
    accept(1);
    InboundSequencer.Outcome outcome = sequencer.accept(msg(3));
    assertThat(outcome.status()).isEqualTo(Status.HELD);
    assertThat(outcome.surfaced()).isEmpty();
    assertThat(sequencer.heldCount(CONV)).isEqualTo(1);

    assertThat(seqsOf(sequencer.accept(msg(2)).surfaced())).containsExactly(2L, 3L);
    assertThat(sequencer.heldCount(CONV)).isZero();
    assertThat(gaps).as("filled before it was worth a sync").isEmpty();
  }

  @Test
  void fragmentedArrivalOrders_alwaysSurfaceEachMessageOnceInSeqOrder() {
    long[][] orders = {
      {1, 3, 2, 5, 4, 6},
      {1, 6, 5, 4, 3, 2},
      {1, 2, 4, 6, 3, 5},
      {1, 4, 2, 6, 5, 3},
    };
    for (long[] order : orders) {
      InboundSequencer fresh = new InboundSequencer(HOLD_BACK, 1000, clock, GapListener.NONE);
      List<Long> surfaced = new ArrayList<>();
      for (long seq : order) {
        surfaced.addAll(seqsOf(fresh.accept(msg(seq)).surfaced()));
      }
      assertThat(surfaced)
          .as("arrival order %s", java.util.Arrays.toString(order))
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
  }

  @Test
  void everyPermutationAfterTheFirst_withDuplicates_surfacesOnceInOrder() {
    List<List<Long>> perms = new ArrayList<>();
    permutations(new ArrayList<>(List.of(2L, 3L, 4L, 5L, 6L)), 0, perms);
    for (List<Long> perm : perms) {
      InboundSequencer fresh = new InboundSequencer(HOLD_BACK, 1000, clock, GapListener.NONE);
      List<Long> surfaced = new ArrayList<>(seqsOf(fresh.accept(msg(1)).surfaced()));
      for (long seq : perm) {
        surfaced.addAll(seqsOf(fresh.accept(msg(seq)).surfaced()));
        surfaced.addAll(seqsOf(fresh.accept(msg(seq)).surfaced())); // redelivered at once
      }
      assertThat(surfaced).as("arrival order 1 %s", perm).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
  }

  @Test
  void redeliveredId_isDuplicate_evenWhileHeld_andAfterSurfacing() {
    accept(1);
    assertThat(sequencer.accept(msg(1)).status()).isEqualTo(Status.DUPLICATE);
    assertThat(sequencer.accept(msg(3)).status()).isEqualTo(Status.HELD);
    assertThat(sequencer.accept(msg(3)).status()).isEqualTo(Status.DUPLICATE);
    assertThat(accept(2)).containsExactly(2L, 3L);
    assertThat(sequencer.accept(msg(3)).status()).isEqualTo(Status.DUPLICATE);
  }

  @Test
  void holdBackExpiry_surfacesHeldMessagesInOrderAnyway_andReportsTheSkippedGap() {
    accept(1);
    accept(4, 3);
    assertThat(sequencer.nextExpiryMillis()).hasValue(now.get() + 500); // the first nudge

    now.addAndGet(999);
    assertThat(sequencer.releaseExpired()).isEmpty();
    assertThat(gaps).containsExactly("detected s_1_2 2..2");

    now.addAndGet(1);
    assertThat(seqsOf(sequencer.releaseExpired())).containsExactly(3L, 4L);
    assertThat(sequencer.lastSurfacedSeq(CONV)).isEqualTo(4);
    assertThat(sequencer.nextExpiryMillis()).isEmpty();
    assertThat(gaps).contains("skipped s_1_2 2..2");
  }

  @Test
  void lateArrivalOfASkippedSeq_isSurfacedAtOnce_neverDropped() {
    accept(1, 3);
    now.addAndGet(HOLD_BACK.toMillis());
    assertThat(seqsOf(sequencer.releaseExpired())).containsExactly(3L);

    InboundSequencer.Outcome late = sequencer.accept(msg(2));
    assertThat(late.status()).isEqualTo(Status.SURFACED);
    assertThat(seqsOf(late.surfaced())).containsExactly(2L);
    assertThat(sequencer.lastSurfacedSeq(CONV)).isEqualTo(3);
    assertThat(accept(4)).containsExactly(4L);
  }

  @Test
  void neverSeenIdBelowTheCursor_isSurfacedAsLateArrival() {
    sequencer.noteDelivered(CONV, 9);
    assertThat(accept(10)).containsExactly(10L);
    assertThat(accept(7)).containsExactly(7L);
  }

  @Test
  void laterMessageWaitsForItsOwnDeadline_whenAnEarlierOneExpires() {
    accept(1);
    accept(3); // held at t0
    now.addAndGet(600);
    accept(6); // held at t0 + 600, another gap (4..5)
    now.addAndGet(400); // t0 + 1000: only seq 3 is due
    assertThat(seqsOf(sequencer.releaseExpired())).containsExactly(3L);
    assertThat(sequencer.heldCount(CONV)).isEqualTo(1);
    now.addAndGet(600);
    assertThat(seqsOf(sequencer.releaseExpired())).containsExactly(6L);
  }

  @Test
  void earlierSeqArrivingLater_isNotOvertakenByAnExpiredSuccessor() {
    accept(1);
    accept(5); // t0, deadline t0+1000
    now.addAndGet(900);
    accept(3); // t0+900, deadline t0+1900; 3 < 5 so releasing 5 must release 3 first
    now.addAndGet(100);
    assertThat(seqsOf(sequencer.releaseExpired())).containsExactly(3L, 5L);
  }

  @Test
  void conversationsAreOrderedIndependently() {
    assertThat(seqsOf(sequencer.accept(msg("s_1_2", 1)).surfaced())).containsExactly(1L);
    assertThat(seqsOf(sequencer.accept(msg("s_1_3", 1).toBuilder().setId(901).build()).surfaced()))
        .containsExactly(1L);
    assertThat(sequencer.accept(msg("s_1_2", 3)).status()).isEqualTo(Status.HELD);
    assertThat(seqsOf(sequencer.accept(msg("s_1_3", 2).toBuilder().setId(902).build()).surfaced()))
        .containsExactly(2L);
  }

  @Test
  void ownSentMessage_fillsItsSeq_soThePeersNextMessageIsNoGap() {
    accept(1);
    assertThat(sequencer.acceptOwn(CONV, 2, 502)).isEmpty();
    assertThat(accept(3)).containsExactly(3L);
    assertThat(gaps).isEmpty();
  }

  @Test
  void ownSentMessageArrivingAfterThePeersNext_releasesTheHeldMessage() {
    accept(1);
    assertThat(sequencer.accept(msg(3)).status()).isEqualTo(Status.HELD);
    assertThat(seqsOf(sequencer.acceptOwn(CONV, 2, 502))).containsExactly(3L);
  }

  @Test
  void ownMessageIdDeliveredBackToThisDevice_isNotSurfacedAgain() {
    sequencer.acceptOwn(CONV, 1, 101);
    assertThat(sequencer.accept(msg(1)).status()).isEqualTo(Status.DUPLICATE);
  }

  @Test
  void messageWithoutSeq_isSurfacedWithoutTouchingTheOrder() {
    accept(1);
    ChatMsg noSeq = ChatMsg.newBuilder().setId(999).setConversationId(CONV).build();
    assertThat(sequencer.accept(noSeq).surfaced()).containsExactly(noSeq);
    assertThat(sequencer.lastSurfacedSeq(CONV)).isEqualTo(1);
  }

  @Test
  void messageIdAt_knowsRecentlySurfacedMessages() {
    accept(1, 2);
    assertThat(sequencer.messageIdAt(CONV, 2)).hasValue(102);
    assertThat(sequencer.messageIdAt(CONV, 9)).isEmpty();
    assertThat(sequencer.messageIdAt("s_7_8", 1)).isEmpty();
  }

  @Test
  void dedupMemoryIsBounded_oldIdsAreForgotten() {
    InboundSequencer small = new InboundSequencer(HOLD_BACK, 3, clock, GapListener.NONE);
    for (long seq = 1; seq <= 4; seq++) {
      small.accept(msg(seq));
    }
    // id of seq 1 was forgotten: it counts as a late arrival again; seq 4 is still remembered.
    assertThat(small.accept(msg(4)).status()).isEqualTo(Status.DUPLICATE);
    assertThat(small.accept(msg(1)).status()).isEqualTo(Status.SURFACED);
  }

  private static void permutations(List<Long> items, int k, List<List<Long>> out) {
    if (k == items.size()) {
      out.add(List.copyOf(items));
      return;
    }
    for (int i = k; i < items.size(); i++) {
      java.util.Collections.swap(items, k, i);
      permutations(items, k + 1, out);
      java.util.Collections.swap(items, k, i);
    }
  }
}
