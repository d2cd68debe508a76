package dev.switchboard.devkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperIT {

  @TempDir Path dataDir;

  @Test
  void startedServer_storesAndReturnsZnodes() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, 0);
        CuratorFramework client = connect(zk)) {
      assertThat(zk.connectString()).isEqualTo("127.0.0.1:" + zk.port());
      client
          .create()
          .creatingParentsIfNeeded()
          .forPath("/devkit/hello", "world".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(client.getData().forPath("/devkit/hello"), StandardCharsets.UTF_8))
          .isEqualTo("world");
    }
  }

  @Test
  void znodes_surviveARestartOnTheSameDataDir() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, 0);
        CuratorFramework client = connect(zk)) {
      client.create().forPath("/kept", "yes".getBytes(StandardCharsets.UTF_8));
    }
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, 0);
        CuratorFramework client = connect(zk)) {
      assertThat(client.checkExists().forPath("/kept")).isNotNull();
    }
  }

  @Test
  void close_isIdempotentAndFreesThePort() {
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, 0);
    zk.close();
    zk.close();
    assertThat(Ports.isFree(zk.port())).isTrue();
  }

  private static CuratorFramework connect(EmbeddedZooKeeper zk) throws InterruptedException {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100));
    client.start();
    assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    return client;
  }
}
