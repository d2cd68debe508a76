package dev.switchboard.client.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.inbound.InboundSequencer.Status;
import dev.switchboard.proto.ChatMsg;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link InboundSequencer#deliveredThrough}: what DELIVERED receipts claim to the server. */
class DeliveryWatermarkTest {

  private static final String CONV = "s_1_2";
  private static final Duration HOLD_BACK = Duration.ofSeconds(1);

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final List<String> unknownStarts = new ArrayList<>();
  private final InboundSequencer sequencer =
      new InboundSequencer(
          HOLD_BACK,
          10_000,
          clock,
          new GapListener() {
            @Override
            public void onBaselineUnknown(String conversationId, long seq) {
              unknownStarts.add(conversationId + "@" + seq);
            }
          });

  private static ChatMsg msg(String conv, long seq, long id) {
    return ChatMsg.newBuilder().setId(id).setConversationId(conv).setSeq(seq).setFromId(2).build();
  }

  private void accept(long... seqs) {
    for (long seq : seqs) {
      sequencer.accept(msg(CONV, seq, 100 + seq));
    }
  }

  private long through() {
    return sequencer.deliveredThrough(CONV);
  }

  @Test
  void growsOnlyThroughContiguousSeqs_fromSeqOne() {
    accept(1, 2);
    assertThat(through()).isEqualTo(2);
    accept(4, 5); // held: 3 is missing
    assertThat(through()).isEqualTo(2);
    accept(3);
    assertThat(through()).isEqualTo(5);
  }

  @Test
  void skippedGap_isNeverClaimed_evenAfterTheLaterMessagesWereShown() {
    accept(1, 3);
    now.addAndGet(HOLD_BACK.toMillis());
    assertThat(sequencer.releaseExpired()).extracting(ChatMsg::getSeq).containsExactly(3L);
    accept(4);
    assertThat(sequencer.lastSurfacedSeq(CONV)).isEqualTo(4); // shown up to 4 ...
    assertThat(through()).isEqualTo(1); // ... but 2 is not held

    accept(2); // the late arrival closes the hole
    assertThat(through()).isEqualTo(4);
  }

  @Test
  void ownSentSeqs_countAsHeld() {
    accept(1);
    sequencer.acceptOwn(CONV, 2, 502);
    accept(3);
    assertThat(through()).isEqualTo(3);

    sequencer.acceptOwn(CONV, 5, 505); // peer's 4 still on its way
    assertThat(through()).isEqualTo(3);
    accept(4);
    assertThat(through()).isEqualTo(5);
  }

  @Test
  void conversationStartingAboveSeqOne_claimsNothing_untilTheServerTellsTheDevicesCursor() {
    accept(7, 8);
    assertThat(through()).isZero(); // 1..6 may never have reached this device
    assertThat(unknownStarts).containsExactly(CONV + "@7"); // once: the client syncs to learn it

    sequencer.noteDelivered(CONV, 5); // the server: this device holds everything up to 5
    assertThat(through()).isEqualTo(5); // not 8: 6 is still missing

    accept(6);
    assertThat(through()).isEqualTo(8);
  }

  @Test
  void ownSentMessage_inAConversationOfUnknownStart_isReportedToo() {
    sequencer.acceptOwn(CONV, 12, 512);
    assertThat(through()).isZero();
    assertThat(unknownStarts).containsExactly(CONV + "@12");
    sequencer.noteDelivered(CONV, 11);
    assertThat(through()).isEqualTo(12);
  }

  @Test
  void serverCursor_belowTheWatermark_changesNothing_andAboveItRaisesIt() {
    accept(1, 2, 3);
    sequencer.noteDelivered(CONV, 2);
    assertThat(through()).isEqualTo(3);
    sequencer.noteDelivered(CONV, 6);
    assertThat(through()).isEqualTo(6);
    accept(8);
    assertThat(through()).isEqualTo(6);
  }

  @Test
  void serverCursor_ofAConversationNotSeenYet_isWhereTheSyncPageContinues_inOrder() {
    sequencer.noteDelivered(CONV, 10);
    assertThat(through()).isEqualTo(10);

    // A push beyond the cursor waits for the page that brings what lies between.
    assertThat(sequencer.accept(msg(CONV, 13, 113)).status()).isEqualTo(Status.HELD);
    assertThat(sequencer.accept(msg(CONV, 11, 111)).surfaced())
        .extracting(ChatMsg::getSeq)
        .containsExactly(11L);
    assertThat(sequencer.accept(msg(CONV, 12, 112)).surfaced())
        .extracting(ChatMsg::getSeq)
        .containsExactly(12L, 13L);
    assertThat(through()).isEqualTo(13);
    assertThat(unknownStarts).isEmpty();
  }

  @Test
  void duplicates_doNotMoveIt_andConversationsAreIndependent() {
    accept(1, 2, 2, 1);
    sequencer.accept(msg("s_1_3", 1, 901));
    sequencer.accept(msg("s_1_3", 3, 903));
    assertThat(through()).isEqualTo(2);
    assertThat(sequencer.deliveredThrough("s_1_3")).isEqualTo(1);
    assertThat(sequencer.deliveredThrough("s_9_9")).isZero();
  }

  /**
   * Whatever arrives, in whatever order, with duplicates, held back or skipped, with or without a
   * server cursor: the watermark is exactly the end of the gap-free prefix of what the device holds
   * (and 0 while that prefix has no known start), never above it.
   */
  @Test
  void randomArrivals_neverClaimASeqThatIsNotHeldContiguously() {
    Random random = new Random(20240607);
    for (int round = 0; round < 300; round++) {
      InboundSequencer seq = new InboundSequencer(HOLD_BACK, 10_000, clock, GapListener.NONE);
      int size = 5 + random.nextInt(40);
      List<Long> arrivals = new ArrayList<>();
      for (long s = 1; s <= size; s++) {
        if (random.nextInt(5) != 0) {
          arrivals.add(s); // some seqs never arrive
        }
        if (random.nextInt(6) == 0) {
          arrivals.add(s); // redelivered
        }
      }
      Collections.shuffle(arrivals, random);
      long cursor = random.nextBoolean() ? -1 : random.nextInt(size / 2 + 1);
      int cursorAt = random.nextInt(arrivals.size() + 1);

      Set<Long> held = new HashSet<>();
      boolean cursorKnown = false;
      for (int i = 0; i <= arrivals.size(); i++) {
        if (i == cursorAt && cursor >= 0) {
          seq.noteDelivered(CONV, cursor);
          cursorKnown = true;
        }
        if (i < arrivals.size()) {
          long s = arrivals.get(i);
          if (random.nextInt(4) == 0) {
            seq.acceptOwn(CONV, s, 100 + s);
          } else {
            seq.accept(msg(CONV, s, 100 + s));
          }
          held.add(s);
        }
        if (random.nextInt(3) == 0) {
          now.addAndGet(HOLD_BACK.toMillis()); // let the hold-back skip gaps now and then
          seq.releaseExpired();
        }
        long expected = expectedWatermark(held, cursorKnown ? cursor : -1);
        assertThat(seq.deliveredThrough(CONV))
            .as("round %d after %s, cursor %d", round, arrivals.subList(0, i), cursor)
            .isEqualTo(expected);
      }
    }
  }

  /** The end of the gap-free run from a known start (seq 1, or the cursor); 0 without a start. */
  private static long expectedWatermark(Set<Long> held, long cursor) {
    long start;
    if (cursor >= 0) {
      start = cursor;
    } else if (held.contains(1L)) {
      start = 0;
    } else {
      return 0;
    }
    long through = start;
    while (held.contains(through + 1)) {
      through++;
    }
    return through;
  }
}
