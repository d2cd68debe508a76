package dev.switchboard.bench.relay;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the relay shares between connections: who is where, ids, and one seq per conversation. */
final class RelayState {
  private final ConcurrentHashMap<Long, Channel> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Conversation> conversations = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** A conversation's seq; the lock also orders the pushes, so they leave in seq order. */
  static final class Conversation {
    long lastSeq;
  }

  void online(long userId, Channel channel) {
    channels.put(userId, channel);
    channel.closeFuture().addListener(f -> channels.remove(userId, channel));
  }

  Channel channelOf(long userId) {
    return channels.get(userId);
  }

  Conversation conversation(String id) {
    return conversations.computeIfAbsent(id, k -> new Conversation());
  }

  long nextId() {
    return ids.incrementAndGet();
  }
}
