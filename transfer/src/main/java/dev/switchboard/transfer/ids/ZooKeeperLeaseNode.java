package dev.switchboard.transfer.ids;

import java.util.Arrays;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * A worker id node in ZooKeeper: ephemeral, its data a random token per lease. Ownership is told by
 * the token (ours or another instance's) and by the node's ephemeral owner (our current session or
 * an earlier one of ours).
 */
final class ZooKeeperLeaseNode implements LeaseNode {
  private final CuratorFramework zk;
  private final String path;
  private final byte[] token;

  ZooKeeperLeaseNode(CuratorFramework zk, String path, byte[] token) {
    this.zk = zk;
    this.path = path;
    this.token = token.clone();
  }

  @Override
  public Holder holder() throws Exception {
    Stat stat = new Stat();
    byte[] data;
    try {
      data = zk.getData().storingStatIn(stat).forPath(path);
    } catch (KeeperException.NoNodeException gone) {
      return Holder.NONE;
    }
    if (!Arrays.equals(data, token)) {
      return Holder.OTHER;
    }
    long session = zk.getZookeeperClient().getZooKeeper().getSessionId();
    return stat.getEphemeralOwner() == session ? Holder.OURS : Holder.OURS_STALE;
  }

  @Override
  public boolean create() throws Exception {
    try {
      zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, token);
      return true;
    } catch (KeeperException.NodeExistsException exists) {
      return false;
    }
  }

  @Override
  public void release() throws Exception {
    if (holder() == Holder.OURS) {
      zk.delete().forPath(path);
    }
  }

  @Override
  public String path() {
    return path;
  }
}
