package dev.switchboard.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the running account-api, as a third-party client would use it. */
final class ApiClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  record Response(int status, String contentType, String body, HttpResponse<String> raw) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String code() {
      return json().path("code").asString();
    }
  }

  Response get(String path, String token) {
    return send(request(path, token).GET());
  }

  Response get(String path) {
    return get(path, null);
  }

  Response post(String path, String json) {
    return send(
        request(path, null)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response post(String path, String json, String token) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response patch(String path, String json, String token) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  Response put(String path, String token) {
    return send(request(path, token).PUT(HttpRequest.BodyPublishers.noBody()));
  }

  Response delete(String path, String token) {
    return send(request(path, token).DELETE());
  }

  Response register(String username, String password) {
    return post(
        "/api/v1/users", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
  }

  Response login(String username, String password, String deviceId) {
    return post(
        "/api/v1/sessions",
        "{\"username\":\""
            + username
            + "\",\"password\":\""
            + password
            + "\",\"deviceId\":\""
            + deviceId
            + "\"}");
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Response send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
