package dev.switchboard.launcher;

import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.transfer.message.IntakeHook;
import java.util.Map;

/**
 * The services' own fault-injection seams, for tests that start a {@link LocalCluster}: transfer's
 * {@link IntakeHook} (between the sequencing commit and the Kafka append) and offline-store's
 * {@link IngestHooks} (between the MySQL commit and the offset commit). {@code ./im up} uses {@link
 * #NONE}.
 *
 * @param transfers by transfer instance id ({@code transfer-1}, ...); others get none
 * @param offlineStore for the first offline-store instance (a restart brings its own)
 */
public record FaultHooks(Map<String, IntakeHook> transfers, IngestHooks offlineStore) {
  public static final FaultHooks NONE = new FaultHooks(Map.of(), IngestHooks.NONE);

  public FaultHooks {
    transfers = Map.copyOf(transfers);
  }

  IntakeHook transfer(String instanceId) {
    return transfers.getOrDefault(instanceId, IntakeHook.NONE);
  }
}
