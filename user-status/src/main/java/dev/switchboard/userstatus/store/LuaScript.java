package dev.switchboard.userstatus.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script from {@code src/main/resources/lua/}, run with EVALSHA.
 *
 * <p>The SHA-1 is computed locally (it is what SCRIPT LOAD would answer), so a call never waits for
 * a load first. Redis forgets scripts when it restarts or on SCRIPT FLUSH; the first EVALSHA after
 * that fails with NOSCRIPT, and the script is loaded again and the call retried once. The script
 * body travels over the wire only in that case.
 */
public final class LuaScript {

  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  /** Reads {@code lua/<name>.lua} from the classpath. */
  public static LuaScript fromClasspath(String name) {
    String resource = "lua/" + name + ".lua";
    try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** SCRIPT LOAD, done once at startup so that the first calls do not pay for it. */
  public void load(RedisExecutor redis) {
    String loaded = redis.call("SCRIPT LOAD " + name, client -> client.scriptLoad(source));
    if (!sha1.equalsIgnoreCase(loaded)) {
      throw new IllegalStateException(
          "Redis answered SHA " + loaded + " for script " + name + ", expected " + sha1);
    }
  }

  public Object run(RedisExecutor redis, List<String> keys, List<String> args) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(args, "args");
    return redis.call(
        "script " + name,
        client -> {
          try {
            return client.evalsha(sha1, keys, args);
          } catch (JedisNoScriptException e) {
            client.scriptLoad(source);
            return client.evalsha(sha1, keys, args);
          }
        });
  }

  public String name() {
    return name;
  }

  public String sha1() {
    return sha1;
  }

  private static String sha1Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JVM", e);
    }
  }
}
