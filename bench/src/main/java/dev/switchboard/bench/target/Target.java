package dev.switchboard.bench.target;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The deployment a run measures and what the load generator knows about it.
 *
 * @param apiUrl account-api root
 * @param jwtSecret the token signing secret, when the operator gave it (or {@code ./im up}'s dev
 *     secret was found): lets the connection scenarios mint tokens instead of paying an Argon2
 *     password check per device
 * @param kafkaBootstrap where the durable log is, for the offline-store consumer lag
 * @param kafkaTopic the message log topic
 * @param kafkaGroup offline-store's consumer group
 * @param apiPid the local process serving account-api ({@code ./im up}: the whole system)
 * @param kind "external" (a running system) or "in-process" (started inside this JVM)
 */
public record Target(
    URI apiUrl,
    Optional<byte[]> jwtSecret,
    Optional<String> kafkaBootstrap,
    String kafkaTopic,
    String kafkaGroup,
    OptionalLong apiPid,
    String kind) {

  public boolean isLoopback() {
    return LocalProcesses.isLoopback(apiUrl.getHost());
  }

  /** For the report: never the secret itself, only whether there is one. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("api", apiUrl.toString());
    m.put("tokens", jwtSecret.isPresent() ? "minted with the deployment secret" : "REST logins");
    m.put("kafka", kafkaBootstrap.orElse("unknown"));
    apiPid.ifPresent(pid -> m.put("server_pid", Long.toString(pid)));
    return m;
  }
}
