package dev.switchboard.transfer.ids;

/** Issues ids only while the worker id lease is valid. */
public final class LeasedIdIssuer implements IdIssuer {
  private final WorkerIdLease lease;
  private final SnowflakeIdGenerator generator;

  public LeasedIdIssuer(WorkerIdLease lease, SnowflakeIdGenerator generator) {
    this.lease = lease;
    this.generator = generator;
  }

  @Override
  public long nextId() {
    if (!lease.isValid()) {
      throw new IdUnavailableException("worker id " + lease.workerId() + " is not leased");
    }
    return generator.nextId();
  }
}
