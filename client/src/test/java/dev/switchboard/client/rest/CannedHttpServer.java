package dev.switchboard.client.rest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Serves canned answers per "METHOD /path?query" with the JDK's HttpServer and records what it was
 * asked. Stands in for account-api's answers in the REST client tests; the real account-api is
 * exercised by the system tests.
 */
public final class CannedHttpServer implements AutoCloseable {

  public record Answer(int status, String contentType, String body, Duration delay) {
    public static Answer json(int status, String body) {
      return new Answer(status, "application/json", body, Duration.ZERO);
    }

    public static Answer problem(int status, String code, String detail) {
      return new Answer(
          status,
          "application/problem+json",
          """
          {"type":"https://switchboard.dev/problems/%s","title":"Title of %s","status":%d,"detail":"%s","code":"%s"}
          """
              .formatted(code, code, status, detail, code),
          Duration.ZERO);
    }
  }

  public record Request(String method, String pathAndQuery, String authorization, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  public CannedHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  body));
          Answer answer = answers.getOrDefault(key, Answer.problem(404, "no-canned-answer", key));
          if (!answer.delay().isZero()) {
            try {
              // A server that hangs: answers late, or when the test closes it.
              closing.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", answer.contentType());
          exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  public void answer(String methodAndPath, Answer answer) {
    answers.put(methodAndPath, answer);
  }

  public List<Request> requests() {
    return requests;
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
  }
}
