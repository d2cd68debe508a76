package dev.switchboard.userstatus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class RedisExecutorTest {

  // Never connects: the commands under test throw before touching the client.
  private final RedisClient client = RedisClient.create("127.0.0.1", 1);
  private final RedisExecutor executor = new RedisExecutor(client, "127.0.0.1:1");

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void connectionFailure_isUnavailable_andNamesServerAndOperation() {
    assertThatThrownBy(
            () ->
                executor.call(
                    "EXISTS revoked token",
                    client -> {
                      throw new JedisConnectionException("Connection refused");
                    }))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.unavailable()).isTrue();
              assertThat(e.getMessage())
                  .contains("cannot reach Redis at 127.0.0.1:1")
                  .contains("EXISTS revoked token")
                  .contains("Connection refused");
            });
  }

  @Test
  void loadingOrBusyRedis_isUnavailable() {
    StoreException loading =
        executor.translate("x", new JedisDataException("LOADING Redis is loading the dataset"));
    StoreException busy = executor.translate("x", new JedisBusyException("BUSY script running"));

    assertThat(loading.unavailable()).isTrue();
    assertThat(busy.unavailable()).isTrue();
  }

  @Test
  void otherErrorReplies_areFailuresThatARetryWillNotFix() {
    StoreException wrongType =
        executor.translate("x", new JedisDataException("WRONGTYPE Operation against a key"));

    assertThat(wrongType.unavailable()).isFalse();
    assertThat(wrongType.getMessage()).contains("WRONGTYPE");
  }
}
