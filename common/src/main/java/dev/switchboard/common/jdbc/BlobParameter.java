package dev.switchboard.common.jdbc;

import java.io.ByteArrayInputStream;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Binds a blob so that Connector/J encodes it once. Over a utf8mb4 connection the text protocol
 * sends a blob as a hex literal; a {@code byte[]} parameter is hex-encoded into a fresh stream with
 * two synchronized stream writes per byte, twice per statement: once to size the batch, once to
 * send it. A stream of known length is sized from its length and encoded straight into the packet.
 * The statement and the bytes stored are the same.
 */
public final class BlobParameter {
  private BlobParameter() {}

  public static void set(PreparedStatement statement, int index, byte[] bytes) throws SQLException {
    statement.setBinaryStream(index, new ByteArrayInputStream(bytes), bytes.length);
  }
}
