package dev.switchboard.devkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

@ExtendWith(InfraExtension.class)
class InfraExtensionConstructorIT {

  private final EmbeddedRedis redis;
  private final EmbeddedMariaDb mariaDb;

  InfraExtensionConstructorIT(EmbeddedRedis redis, EmbeddedMariaDb mariaDb) {
    this.redis = redis;
    this.mariaDb = mariaDb;
  }

  @Test
  void constructorAndMethodParameters_getTheSameRunningServers(
      EmbeddedRedis redisAgain, EmbeddedMariaDb mariaDbAgain) throws SQLException {
    assertThat(redisAgain).isSameAs(redis);
    assertThat(mariaDbAgain).isSameAs(mariaDb);
    try (Jedis client = new Jedis(URI.create(redis.url()))) {
      assertThat(client.ping()).isEqualTo("PONG");
    }
    try (Connection connection =
        DriverManager.getConnection(
            mariaDb.jdbcUrl("devkit_extension"), mariaDb.user(), mariaDb.password())) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  @Test
  void everyTestClassOfTheJvm_getsTheSameInstances(
      EmbeddedKafka kafka, EmbeddedZooKeeper zooKeeper) {
    assertThat(SharedInstances.firstSeen(redis)).isSameAs(redis);
    assertThat(SharedInstances.firstSeen(mariaDb)).isSameAs(mariaDb);
    assertThat(SharedInstances.firstSeen(kafka)).isSameAs(kafka);
    assertThat(SharedInstances.firstSeen(zooKeeper)).isSameAs(zooKeeper);
  }
}
