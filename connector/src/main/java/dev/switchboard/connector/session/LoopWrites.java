package dev.switchboard.connector.session;

import dev.switchboard.proto.Frame;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Frames for the channels of many event loops, gathered on a thread that is none of them (a gRPC
 * thread with a push) and handed to each loop as one task. {@code writeAndFlush} from outside a
 * loop costs a task per frame, each queued, woken for and run on its own; a push of a few hundred
 * frames to a few loops then costs a few tasks. Each loop writes its frames in the order they were
 * added (a channel's frames keep their order) and flushes each channel once.
 *
 * <p>Not thread-safe: one instance per batch, on the thread that gathers it.
 */
public final class LoopWrites {
  private final Map<EventLoop, List<Object>> byLoop = new IdentityHashMap<>(4);

  public void add(Channel channel, Frame frame) {
    // Channel and frame alternate: one list per loop, no pair objects.
    List<Object> writes = byLoop.computeIfAbsent(channel.eventLoop(), loop -> new ArrayList<>());
    writes.add(channel);
    writes.add(frame);
  }

  /**
   * Hands every loop its frames; runs them at once for the calling thread's own loop. Never throws
   * for a loop that has shut down, as {@code writeAndFlush} never did.
   */
  public void dispatch() {
    byLoop.forEach(
        (loop, writes) -> {
          if (loop.inEventLoop()) {
            write(writes);
            return;
          }
          try {
            loop.execute(() -> write(writes));
          } catch (RejectedExecutionException e) {
            // The loop is shutting down with its channels: there is nobody left to write to, and
            // the push must not fail the others. The recipients sync when they reconnect.
          }
        });
    byLoop.clear();
  }

  private static void write(List<Object> writes) {
    Set<Channel> written = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < writes.size(); i += 2) {
      Channel channel = (Channel) writes.get(i);
      channel.write(writes.get(i + 1));
      written.add(channel);
    }
    for (Channel channel : written) {
      channel.flush();
    }
  }
}
