package dev.switchboard.transfer.route;

import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.SessionRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns routes into one Deliver request per connector: pure code, no I/O.
 *
 * <p>A delivery names the user (and the device to skip) rather than each device: the connector
 * writes to all of that user's local sessions, so one delivery per (connector, recipient) is
 * enough, and a device that logged in on that connector a moment ago gets it too.
 */
public final class PushPlanner {
  private PushPlanner() {}

  /**
   * @return connector id to its request, in the order the connectors first appear in {@code routes}
   */
  public static Map<String, DeliverRequest> plan(
      List<Recipient> recipients, List<SessionRoute> routes, Frame frame) {
    Map<String, List<Delivery>> byConnector = new LinkedHashMap<>();
    for (Recipient recipient : recipients) {
      Set<String> connectors = new LinkedHashSet<>();
      for (SessionRoute route : routes) {
        if (route.getUserId() == recipient.userId()
            && !route.getConnectorId().isEmpty()
            && !route.getDeviceId().equals(recipient.excludeDeviceId())) {
          connectors.add(route.getConnectorId());
        }
      }
      for (String connector : connectors) {
        byConnector
            .computeIfAbsent(connector, c -> new ArrayList<>())
            .add(
                Delivery.newBuilder()
                    .setUserId(recipient.userId())
                    .setExcludeDeviceId(recipient.excludeDeviceId())
                    .setFrame(frame)
                    .build());
      }
    }
    Map<String, DeliverRequest> requests = new LinkedHashMap<>();
    byConnector.forEach(
        (connector, deliveries) ->
            requests.put(
                connector, DeliverRequest.newBuilder().addAllDeliveries(deliveries).build()));
    return requests;
  }

  /** Who gets a chat message: every device of the recipient, and the sender's other devices. */
  public static List<Recipient> chatRecipients(long fromId, String fromDeviceId, long destId) {
    if (fromId == destId) {
      // A note to self: the sender's other devices are the only recipients.
      return List.of(new Recipient(fromId, fromDeviceId));
    }
    return List.of(Recipient.allDevices(destId), new Recipient(fromId, fromDeviceId));
  }
}
