package dev.switchboard.account.db;

import java.util.function.Supplier;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Transactions} over the data source's transaction manager, in READ COMMITTED: the relation
 * changes lock the two users rows first and must then read the latest committed rows, not a
 * snapshot taken before the lock was granted (MariaDB's default REPEATABLE READ would).
 */
public final class JdbcTransactions implements Transactions {
  private final TransactionTemplate template;

  public JdbcTransactions(PlatformTransactionManager transactionManager) {
    this.template = new TransactionTemplate(transactionManager);
    template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    template.setTimeout(10);
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return template.execute(status -> work.get());
  }
}
