package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.internal.SendChatResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A transfer started before account-api created its friendship and user_block tables. */
@ExtendWith(InfraExtension.class)
class MissingRelationTablesIT {

  private static ChatMsg text(long from, long dest, String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setFromDeviceId("phone")
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setMsgBody("hi")
        .build();
  }

  @Test
  void withoutTheTables_everybodyIsAStranger_untilAccountApiMigratesAndInvalidates(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_notables");
    db.createUsersTable();
    db.insertUsers(1, 2);
    Map<String, String> env =
        TransferFixture.env(
            kafka.bootstrapServers(), "it.notables." + UUID.randomUUID(), db, zk.connectString());
    env.put("IM_MESSAGE_POLICY", "friends-only");
    try (TransferFixture transfer = TransferFixture.start(env)) {
      SendChatResponse refused = transfer.send(text(1, 2, "c-1"));
      assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.NOT_FRIENDS);
      assertThat(transfer.send(text(1, 1, "self")).hasSent()).as("not blocked either").isTrue();

      // account-api migrates, the two become friends and transfer is told.
      db.createRelationTables();
      db.befriend(1, 2);
      transfer.invalidate(1, 2);
      SendChatResponse sent = transfer.send(text(1, 2, "c-1"));
      assertThat(sent.hasSent()).as("%s", sent).isTrue();
      assertThat(sent.getSent().getSeq()).isEqualTo(1);
    }
  }
}
