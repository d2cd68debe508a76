package dev.switchboard.common.discovery;

/** The names services register under in ZooKeeper. */
public final class ServiceNames {
  public static final String CONNECTOR = "connector";
  public static final String TRANSFER = "transfer";
  public static final String USER_STATUS = "user-status";
  public static final String OFFLINE_STORE = "offline-store";

  private ServiceNames() {}
}
