package dev.switchboard.account;

import dev.switchboard.common.net.Ports;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * account-api as a plain server: {@link #start()} runs the Spring Boot application with properties
 * built from {@link AccountApiConfig} only, {@link #close()} stops it gracefully.
 *
 * <p>It runs in the launcher's JVM next to other services, so it leaves process-wide state alone:
 * its properties take precedence over anything found in the environment, system properties or an
 * {@code application.properties} on the class path (it reads {@code account-api.properties} at
 * most, and ships none); no shutdown hook, no JMX, no global Micrometer registry, and Boot's
 * logging system is not initialized (it would reconfigure the JVM's Logback) unless asked for by
 * {@link Main}.
 */
public final class AccountApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccountApiServer.class);
  private static final String PROPERTY_SOURCE = "accountApiConfig";

  private final AccountApiConfig config;
  private final boolean manageLogging;
  private ConfigurableApplicationContext context;
  private int port = -1;
  private boolean closed;

  public AccountApiServer(AccountApiConfig config) {
    this(config, false);
  }

  /**
   * @param manageLogging let Spring Boot set up logging (console pattern, levels); only for a JVM
   *     that runs nothing else
   */
  public AccountApiServer(AccountApiConfig config, boolean manageLogging) {
    this.config = config;
    this.manageLogging = manageLogging;
  }

  public synchronized void start() throws Exception {
    if (context != null || closed) {
      throw new IllegalStateException("account-api server was already started");
    }
    Ports.requireFree(config.httpHost(), config.httpPort(), "account-api HTTP");
    SpringApplication app = new SpringApplication(AccountApiApplication.class);
    app.setWebApplicationType(WebApplicationType.SERVLET);
    app.setBannerMode(Banner.Mode.OFF);
    app.setRegisterShutdownHook(false);
    app.setLogStartupInfo(false);
    // Read no application.properties that another module of the same class path may ship.
    app.setDefaultProperties(Map.of("spring.config.name", "account-api"));
    if (!manageLogging) {
      Set<ApplicationListener<?>> listeners =
          app.getListeners().stream()
              .filter(listener -> !(listener instanceof LoggingApplicationListener))
              .collect(Collectors.toCollection(LinkedHashSet::new));
      app.setListeners(listeners);
    }
    app.addInitializers(
        context -> {
          context
              .getEnvironment()
              .getPropertySources()
              .addFirst(new MapPropertySource(PROPERTY_SOURCE, properties(config)));
          context.getBeanFactory().registerSingleton("accountApiConfig", config);
        });
    context = app.run();
    port = ((WebServerApplicationContext) context).getWebServer().getPort();
    log.info(
        "account-api listening on http://{}:{} (profile {}, OpenAPI /v3/api-docs)",
        config.httpHost(),
        port,
        config.profile().name().toLowerCase(Locale.ROOT));
  }

  /** Spring properties derived from the config; they override every other property source. */
  static Map<String, Object> properties(AccountApiConfig config) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spring.application.name", "switchboard-account-api");
    p.put("server.address", config.httpHost());
    p.put("server.port", config.httpPort());
    p.put("server.shutdown", "graceful");
    p.put("spring.lifecycle.timeout-per-shutdown-phase", "10s");
    p.put("server.error.include-stacktrace", "never");
    p.put("server.error.include-message", "never");
    // Bounded request bodies: registration and login bodies are tiny.
    p.put("server.tomcat.max-swallow-size", "64KB");
    p.put("server.tomcat.max-http-form-post-size", "64KB");
    p.put("spring.jmx.enabled", false);
    p.put("spring.main.allow-bean-definition-overriding", false);
    p.put("spring.mvc.problemdetails.enabled", false); // ProblemAdvice is the one handler

    p.put("spring.datasource.url", config.mysqlUrl());
    p.put("spring.datasource.username", config.mysqlUser());
    p.put("spring.datasource.password", config.mysqlPassword());
    p.put("spring.datasource.driver-class-name", "com.mysql.cj.jdbc.Driver");
    p.put("spring.datasource.hikari.pool-name", "account-api");
    p.put("spring.datasource.hikari.maximum-pool-size", 10);
    p.put("spring.datasource.hikari.connection-timeout", "5000");
    p.put("spring.datasource.hikari.register-mbeans", false);

    // The database is shared with transfer: own history table and location. Baseline at 0, not
    // the default 1, so that V1__users still runs when transfer's tables are already there.
    p.put("spring.flyway.locations", "classpath:db/migration/account");
    p.put("spring.flyway.table", "flyway_history_account");
    p.put("spring.flyway.baseline-on-migrate", true);
    p.put("spring.flyway.baseline-version", "0");

    p.put("management.endpoints.web.exposure.include", "health,info,prometheus");
    p.put("management.endpoints.jmx.exposure.exclude", "*");
    p.put("management.endpoint.health.show-details", "never");
    p.put("management.metrics.use-global-registry", false);
    p.put("management.metrics.tags.service", "account-api");

    // Served on purpose, in every profile: the API contract is public.
    p.put("springdoc.api-docs.enabled", true);
    p.put("springdoc.swagger-ui.enabled", true);
    p.put("springdoc.api-docs.path", "/v3/api-docs");
    p.put("springdoc.swagger-ui.path", "/swagger-ui.html");
    p.put("springdoc.paths-to-match", "/api/**");
    return p;
  }

  /** The bound HTTP port (the real one when configured as 0). */
  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("account-api server is not started");
    }
    return port;
  }

  public AccountApiConfig config() {
    return config;
  }

  /** Graceful: in-flight requests finish (bounded by the shutdown phase timeout). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (context != null) {
      context.close();
      context = null;
      log.info("account-api stopped");
    }
  }
}
