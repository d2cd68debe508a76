package dev.switchboard.client;

import dev.switchboard.client.rest.ApiException;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.retry.Backoff;
import dev.switchboard.client.retry.TaskScheduler;
import dev.switchboard.proto.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a dropped session back: attempts spaced by exponential backoff with full jitter, first to
 * the same connector with the same token, then — once that connector is gone or the token is no
 * longer accepted, and if the client has credentials — through a new REST login, which also picks a
 * live connector. See {@link ReconnectPolicy}.
 *
 * <p>Confined to the client's event loop (the scheduler runs tasks there, REST answers are handed
 * back through {@code loop}). Every run carries an epoch, so a REST answer or timer of a run that
 * was stopped or superseded does nothing.
 */
final class Reconnector {

  private static final Logger log = LoggerFactory.getLogger(Reconnector.class);

  /** What an attempt does; implemented by the client, called on its event loop. */
  interface Target {
    /**
     * Connects to {@code session.connector()} and logs in; the outcome comes back as {@link
     * #onConnected} or {@link #onAttemptFailed}.
     */
    void open(LoginSession session);

    /** True if {@link #logIn} can get a fresh session (the client has credentials). */
    boolean canLogIn();

    /** A new REST login (completes on any thread). */
    CompletableFuture<LoginSession> logIn();

    /** Reconnecting gave up for good; the client stays disconnected. */
    void gaveUp(Throwable cause);
  }

  private final ReconnectPolicy policy;
  private final TaskScheduler scheduler;
  private final Executor loop;
  private final Target target;
  private final Backoff backoff;

  private volatile boolean active;
  private long epoch;
  private int attempt;
  private boolean viaRest;
  private LoginSession session;
  private Throwable lastFailure;
  private Future<?> timer;

  Reconnector(ReconnectPolicy policy, TaskScheduler scheduler, Executor loop, Target target) {
    this.policy = policy;
    this.scheduler = scheduler;
    this.loop = loop;
    this.target = target;
    this.backoff = new Backoff(policy.baseDelay(), policy.maxDelay(), policy.random());
  }

  /**
   * The connection to {@code lost.connector()} dropped: start attempting.
   *
   * @param connectorGone true when the connector announced its shutdown: go straight to a REST
   *     login if possible
   */
  void start(LoginSession lost, boolean connectorGone) {
    epoch++;
    active = true;
    attempt = 0;
    lastFailure = null;
    session = lost;
    viaRest = connectorGone && target.canLogIn();
    scheduleNext(null);
  }

  /** An attempt logged in: done. */
  void onConnected() {
    if (active) {
      log.debug("reconnected after {} attempt(s)", attempt);
    }
    stop();
    attempt = 0;
  }

  /** The attempt's connection never logged in. */
  void onAttemptFailed(Throwable cause) {
    if (!active) {
      return;
    }
    if (cause instanceof ServerErrorException refused
        && (refused.code() == ErrorCode.INVALID_TOKEN
            || refused.code() == ErrorCode.TOKEN_EXPIRED)) {
      if (!target.canLogIn()) {
        giveUp(cause); // the token will not get better, and there is nothing to log in again with
        return;
      }
      viaRest = true;
    } else if (target.canLogIn()) {
      // Refused, reset, silent: the connector may be gone. A new login picks a live one.
      viaRest = true;
    }
    scheduleNext(cause);
  }

  /** No more attempts (the client was closed, or the application connects by itself). */
  void stop() {
    epoch++;
    active = false;
    TaskScheduler.cancel(timer);
    timer = null;
  }

  /** True from a dropped connection until an attempt logged in or reconnecting stopped. */
  boolean active() {
    return active;
  }

  /** Attempts made in the current run. */
  int attempts() {
    return attempt;
  }

  private void scheduleNext(Throwable cause) {
    if (cause != null) {
      lastFailure = cause;
      log.debug("reconnect attempt {} failed: {}", attempt, cause.toString());
    }
    if (policy.maxAttempts() > 0 && attempt >= policy.maxAttempts()) {
      giveUp(
          new ConnectionClosedException(
              "gave up reconnecting after " + attempt + " attempts", lastFailure));
      return;
    }
    Duration delay = backoff.fullJitter(attempt++);
    long run = epoch;
    timer = scheduler.schedule(() -> attempt(run), delay);
  }

  private void attempt(long run) {
    if (!active || run != epoch) {
      return;
    }
    timer = null;
    if (!viaRest) {
      target.open(session);
      return;
    }
    CompletableFuture<LoginSession> login;
    try {
      login = target.logIn();
    } catch (RuntimeException e) {
      login = CompletableFuture.failedFuture(e);
    }
    login.whenComplete(
        (fresh, failure) -> {
          try {
            loop.execute(() -> loggedIn(run, fresh, failure));
          } catch (RejectedExecutionException e) {
            log.debug("REST login answered after the client closed");
          }
        });
  }

  private void loggedIn(long run, LoginSession fresh, Throwable failure) {
    if (!active || run != epoch) {
      return;
    }
    if (failure != null) {
      Throwable cause = unwrap(failure);
      if (refusesCredentials(cause)) {
        giveUp(cause);
      } else {
        scheduleNext(cause); // account-api down or no connector available: try again later
      }
      return;
    }
    session = fresh;
    target.open(fresh);
  }

  private void giveUp(Throwable cause) {
    log.info("giving up reconnecting: {}", cause.toString());
    stop();
    target.gaveUp(cause);
  }

  /** 4xx other than "too many requests": asking again with the same credentials cannot succeed. */
  private static boolean refusesCredentials(Throwable cause) {
    return cause instanceof ApiException api
        && api.status() >= 400
        && api.status() < 500
        && api.status() != 408
        && api.status() != 429;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
