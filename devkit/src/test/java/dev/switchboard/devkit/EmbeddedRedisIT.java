package dev.switchboard.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class EmbeddedRedisIT {

  @TempDir Path dataDir;

  @Test
  void startedServer_answersPingSetAndGet() {
    try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, 0);
        Jedis client = new Jedis(URI.create(redis.url()))) {
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(client.ping()).isEqualTo("PONG");
      client.set("greeting", "hello");
      assertThat(client.get("greeting")).isEqualTo("hello");
    }
  }

  @Test
  void keys_surviveARestartOnTheSameDataDir() {
    int port;
    try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, 0);
        Jedis client = new Jedis(URI.create(redis.url()))) {
      port = redis.port();
      client.set("kept", "across restarts");
    }
    try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, port);
        Jedis client = new Jedis(URI.create(redis.url()))) {
      assertThat(client.get("kept")).isEqualTo("across restarts");
    }
  }

  @Test
  void close_isIdempotentAndFreesThePort() {
    EmbeddedRedis redis = EmbeddedRedis.start(dataDir, 0);
    redis.close();
    redis.close();
    assertThat(Ports.isFree(redis.port())).isTrue();
  }

  @Test
  void portInUse_failsWithAClearMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> EmbeddedRedis.start(dataDir, taken.getLocalPort()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("port " + taken.getLocalPort() + " for Redis is already in use");
    }
  }
}
