package dev.switchboard.bench.load;

import dev.switchboard.bench.util.AsyncLimiter;
import dev.switchboard.client.ClientConfig;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.proto.ChatMsg;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SDK clients of a run, sharing one small event loop group and one callback pool, as the SDK
 * recommends for many clients in a JVM: the load generator shares two cores with the servers, so it
 * must not bring a thread per client.
 */
public final class SdkFleet implements AutoCloseable {
  /**
   * Longer than the SDK's default 10 s: an overloaded server should show up as latency in the
   * figures, not as sends given up on.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final EventLoopGroup group;
  private final ExecutorService callbacks;
  private final URI apiUrl;
  private final MessageSink sink;
  private final List<SwitchboardClient> clients = new ArrayList<>();
  private final LongAdder disconnects = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();

  public SdkFleet(URI apiUrl, int ioThreads, int callbackThreads, MessageSink sink) {
    this.apiUrl = apiUrl;
    this.sink = sink;
    this.group = SwitchboardClient.newEventLoopGroup(ioThreads);
    AtomicInteger n = new AtomicInteger();
    this.callbacks =
        Executors.newFixedThreadPool(
            callbackThreads,
            r -> {
              Thread t = new Thread(r, "bench-callbacks-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** A connected participant of the run. */
  public record Member(SwitchboardClient client, long userId, String device) {}

  /** Creates one client per session (device {@code deviceId}) and connects them all. */
  public List<Member> connect(List<LoginSession> sessions, String deviceId, int concurrency) {
    List<Member> members = new ArrayList<>();
    List<SwitchboardClient> created = new ArrayList<>();
    for (LoginSession s : sessions) {
      SwitchboardClient c = newClient(s.userId(), s.userId() + "/" + deviceId, deviceId);
      created.add(c);
      members.add(new Member(c, s.userId(), s.userId() + "/" + deviceId));
    }
    List<Integer> idx = java.util.stream.IntStream.range(0, sessions.size()).boxed().toList();
    AsyncLimiter.all(idx, concurrency, i -> created.get(i).connect(sessions.get(i)));
    return members;
  }

  /** A client that is not connected yet (offline-sync connects it itself, timed). */
  public SwitchboardClient newClient(long userId, String device, String deviceId) {
    ClientConfig config =
        ClientConfig.builder()
            .apiBaseUrl(apiUrl)
            .deviceId(deviceId)
            .eventLoopGroup(group)
            .callbackExecutor(callbacks)
            .requestTimeout(REQUEST_TIMEOUT)
            .listener(new Listener(userId, device))
            .build();
    SwitchboardClient client = new SwitchboardClient(config);
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  public long disconnects() {
    return disconnects.sum();
  }

  /** Error frames not tied to a send (e.g. a refused receipt). */
  public long serverErrors() {
    return serverErrors.sum();
  }

  private final class Listener implements ClientListener {
    private final long userId;
    private final String device;

    Listener(long userId, String device) {
      this.userId = userId;
      this.device = device;
    }

    @Override
    public void onMessage(ChatMsg message) {
      sink.onMessage(userId, device, message);
    }

    @Override
    public void onDisconnected(Throwable cause) {
      if (cause != null) {
        disconnects.increment();
      }
    }

    @Override
    public void onError(dev.switchboard.proto.Error error) {
      serverErrors.increment();
    }
  }

  @Override
  public void close() {
    List<SwitchboardClient> all;
    synchronized (clients) {
      all = new ArrayList<>(clients);
      clients.clear();
    }
    all.parallelStream().forEach(SwitchboardClient::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    callbacks.shutdown();
  }
}
