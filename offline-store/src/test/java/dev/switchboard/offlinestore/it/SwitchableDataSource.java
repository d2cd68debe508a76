package dev.switchboard.offlinestore.it;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real pool that can be switched "down": while down, getConnection fails the way Hikari does when
 * MySQL is unreachable (SQLTransientConnectionException after its timeout). The shared MariaDB
 * cannot be stopped for one test, so the outage is simulated at the pool.
 */
final class SwitchableDataSource implements DataSource {
  private final DataSource delegate;
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean down;

  SwitchableDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  void down(boolean down) {
    this.down = down;
  }

  int refused() {
    return refused.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (down) {
      refused.incrementAndGet();
      throw new SQLTransientConnectionException(
          "test: connection is not available, request timed out");
    }
    return delegate.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
