package dev.switchboard.transfer.route;

/**
 * A user whose connected devices should get a frame.
 *
 * @param userId the user
 * @param excludeDeviceId a device to skip (the sending device, for the sender's own message); empty
 *     for none
 */
public record Recipient(long userId, String excludeDeviceId) {
  public Recipient {
    excludeDeviceId = excludeDeviceId == null ? "" : excludeDeviceId;
  }

  public static Recipient allDevices(long userId) {
    return new Recipient(userId, "");
  }
}
