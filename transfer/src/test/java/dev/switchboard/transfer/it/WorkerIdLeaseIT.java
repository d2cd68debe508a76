package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.transfer.ids.WorkerIdLease;
import java.time.Duration;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class WorkerIdLeaseIT {

  @Test
  void leases_takeTheFirstFreeNumber_andReleaseItOnClose(EmbeddedZooKeeper zk) throws Exception {
    String base = "/it/worker-ids/" + UUID.randomUUID();
    try (CuratorFramework a = ZooKeeperClients.connect(zk.connectString(), Duration.ofSeconds(10));
        CuratorFramework b = ZooKeeperClients.connect(zk.connectString(), Duration.ofSeconds(10))) {
      WorkerIdLease first = WorkerIdLease.acquire(a, base, 2, "a");
      WorkerIdLease second = WorkerIdLease.acquire(b, base, 2, "b");
      assertThat(first.workerId()).isZero();
      assertThat(second.workerId()).isEqualTo(1);
      assertThat(first.isValid()).isTrue();

      first.close();
      assertThat(first.isValid()).isFalse();
      assertThat(WorkerIdLease.acquire(b, base, 2, "c").workerId()).isZero();
      assertThat(WorkerIdLease.acquire(b, base, 2, "d").workerId()).isEqualTo(2);
      assertThatThrownBy(() -> WorkerIdLease.acquire(b, base, 2, "e"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no free worker id");
    }
  }

  @Test
  void leaseOfADeadSession_isFreedForOthers(EmbeddedZooKeeper zk) throws Exception {
    String base = "/it/worker-ids/" + UUID.randomUUID();
    try (CuratorFramework survivor =
        ZooKeeperClients.connect(zk.connectString(), Duration.ofSeconds(10))) {
      CuratorFramework dying = ZooKeeperClients.connect(zk.connectString(), Duration.ofSeconds(10));
      assertThat(WorkerIdLease.acquire(dying, base, 1023, "dying").workerId()).isZero();
      // Closing the client ends its session: ZooKeeper deletes its ephemeral nodes at once.
      dying.close();
      assertThat(WorkerIdLease.acquire(survivor, base, 1023, "next").workerId()).isZero();
    }
  }
}
