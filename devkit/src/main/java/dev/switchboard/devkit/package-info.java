/**
 * Real infrastructure servers started from Maven artifacts, for the local launcher and for
 * integration tests: {@link dev.switchboard.devkit.EmbeddedRedis}, {@link
 * dev.switchboard.devkit.EmbeddedMariaDb}, {@link dev.switchboard.devkit.EmbeddedKafka} (KRaft) and
 * {@link dev.switchboard.devkit.EmbeddedZooKeeper}.
 *
 * <p>Each binds 127.0.0.1 only, takes a data directory and a port (0 = a free port), keeps its data
 * in that directory across restarts, and is {@link java.lang.AutoCloseable}: {@code close()} is
 * idempotent and leaves no process, thread or listening port behind. A failed start throws {@link
 * java.lang.IllegalStateException} naming the cause, e.g. {@code "port 6390 for Redis is already in
 * use"}. Nothing here touches the machine's own Redis or MySQL.
 */
package dev.switchboard.devkit;
