package dev.switchboard.transfer.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.transfer.relations.PairKey;
import dev.switchboard.transfer.relations.Relation;
import dev.switchboard.transfer.relations.RelationCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyCheckTest {
  private static final long ALICE = 1;
  private static final long BOB = 2;

  private final Map<PairKey, Relation> tables = new HashMap<>();
  private final RelationCache relations =
      new RelationCache(
          pair -> tables.getOrDefault(pair, Relation.STRANGERS), 100, Duration.ofMinutes(1));
  private final PolicyCheck friendsOnly = new PolicyCheck(MessagePolicy.FRIENDS_ONLY, relations);
  private final PolicyCheck open = new PolicyCheck(MessagePolicy.OPEN, relations);

  private static Optional<ErrorCode> code(Optional<Refusal> refusal) {
    return refusal.map(Refusal::code);
  }

  @Test
  void friendsOnly_refusesStrangers_andLetsFriendsChat() {
    assertThat(code(friendsOnly.checkChat(ALICE, BOB))).contains(ErrorCode.NOT_FRIENDS);
    assertThat(friendsOnly.checkChat(ALICE, BOB).get().message()).contains("friend request");

    tables.put(PairKey.of(ALICE, BOB), new Relation(true, false, false));
    relations.invalidate(java.util.List.of(PairKey.of(ALICE, BOB)));
    assertThat(friendsOnly.checkChat(ALICE, BOB)).isEmpty();
    assertThat(friendsOnly.checkChat(BOB, ALICE)).isEmpty();
  }

  @Test
  void open_letsStrangersChat() {
    assertThat(open.checkChat(ALICE, BOB)).isEmpty();
  }

  @Test
  void aBlock_refusesBothWays_underBothPolicies_evenBetweenFriends() {
    tables.put(PairKey.of(ALICE, BOB), new Relation(true, false, true)); // bob blocked alice
    for (PolicyCheck check : new PolicyCheck[] {friendsOnly, open}) {
      assertThat(code(check.checkChat(ALICE, BOB))).contains(ErrorCode.BLOCKED);
      assertThat(code(check.checkChat(BOB, ALICE))).contains(ErrorCode.BLOCKED);
      assertThat(code(check.checkReceipt(ALICE, BOB))).contains(ErrorCode.BLOCKED);
      assertThat(code(check.checkReceipt(BOB, ALICE))).contains(ErrorCode.BLOCKED);
    }
  }

  @Test
  void receipts_needNoFriendship() {
    assertThat(friendsOnly.checkReceipt(ALICE, BOB)).isEmpty();
  }

  @Test
  void noteToSelf_isAlwaysAllowed_withoutALookup() {
    assertThat(friendsOnly.checkChat(ALICE, ALICE)).isEmpty();
    assertThat(friendsOnly.checkReceipt(ALICE, ALICE)).isEmpty();
    assertThat(relations.loads()).isZero();
  }

  @Test
  void policyNames_parseAsConfigured_andAnythingElseNamesTheVariable() {
    assertThat(MessagePolicy.parse("IM_MESSAGE_POLICY", "friends-only"))
        .isEqualTo(MessagePolicy.FRIENDS_ONLY);
    assertThat(MessagePolicy.parse("IM_MESSAGE_POLICY", " Open ")).isEqualTo(MessagePolicy.OPEN);
    assertThatThrownBy(() -> MessagePolicy.parse("IM_MESSAGE_POLICY", "friends"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("IM_MESSAGE_POLICY must be friends-only or open, not 'friends'");
  }
}
