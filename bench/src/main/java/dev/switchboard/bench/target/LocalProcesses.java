package dev.switchboard.bench.target;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What Linux's /proc tells about local server processes: which process listens on a port (so that
 * the benchmark finds the connector's pid without being told), which ports a process listens on,
 * and its resident memory. Everything returns empty where /proc is missing or not readable.
 */
public final class LocalProcesses {
  private static final String LISTEN = "0A";

  private LocalProcesses() {}

  public static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The process with a listening TCP socket on {@code port}, if it is visible here. */
  public static OptionalLong pidListeningOn(int port) {
    Set<Long> inodes = new HashSet<>();
    for (Listener l : listeners()) {
      if (l.port() == port) {
        inodes.add(l.inode());
      }
    }
    if (inodes.isEmpty()) {
      return OptionalLong.empty();
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (ownsAnyOf(proc, inodes)) {
          return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** The TCP ports {@code pid} listens on. */
  public static List<Integer> listeningPorts(long pid) {
    Set<Long> owned = socketInodes(Path.of("/proc", Long.toString(pid)));
    List<Integer> ports = new ArrayList<>();
    for (Listener l : listeners()) {
      if (owned.contains(l.inode()) && !ports.contains(l.port())) {
        ports.add(l.port());
      }
    }
    return ports;
  }

  /** VmRSS of {@code pid} in bytes. */
  public static OptionalLong rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return OptionalLong.of(Long.parseLong(kb) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** The soft limit on open files of {@code pid}. */
  public static Optional<String> openFilesLimit(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
          .filter(line -> line.startsWith("Max open files"))
          .map(line -> line.substring("Max open files".length()).trim().split("\\s+")[0])
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public static long self() {
    return ProcessHandle.current().pid();
  }

  private record Listener(int port, long inode) {}

  private static List<Listener> listeners() {
    List<Listener> result = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !LISTEN.equals(f[3].toUpperCase(Locale.ROOT))) {
          continue;
        }
        String local = f[1];
        int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
        result.add(new Listener(port, Long.parseLong(f[9])));
      }
    }
    return result;
  }

  private static boolean ownsAnyOf(Path proc, Set<Long> inodes) {
    Set<Long> owned = socketInodes(proc);
    for (Long inode : inodes) {
      if (owned.contains(inode)) {
        return true;
      }
    }
    return false;
  }

  private static Set<Long> socketInodes(Path proc) {
    Set<Long> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[")) {
            inodes.add(Long.parseLong(link.substring(8, link.length() - 1)));
          }
        } catch (IOException | RuntimeException e) {
          // the descriptor closed meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // not our process, or gone
    }
    return inodes;
  }
}
