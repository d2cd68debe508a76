package dev.switchboard.account.db;

import java.util.function.Supplier;

/**
 * Runs work in one database transaction: committed when it returns, rolled back when it throws.
 * Domain services take this instead of a Spring transaction API, so they stay plain classes.
 */
public interface Transactions {
  <T> T inTransaction(Supplier<T> work);
}
