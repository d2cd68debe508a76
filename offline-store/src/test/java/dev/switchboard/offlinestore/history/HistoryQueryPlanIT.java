package dev.switchboard.offlinestore.history;

import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.it.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A history page is one backward range on message's primary key: {@code message: range on PRIMARY
 * (Using where)}, no sort, whatever the conversation's length.
 */
@ExtendWith(InfraExtension.class)
class HistoryQueryPlanIT {
  private static final Logger log = LoggerFactory.getLogger(HistoryQueryPlanIT.class);

  @Test
  void historyPage_isABackwardRangeOnTheConversationsSeqs(EmbeddedMariaDb mariaDb)
      throws Exception {
    try (QueryPlans plans = QueryPlans.withData(mariaDb)) {
      log.info(
          "PAGE_BEFORE: {}",
          plans.assertIndexOnly(
              HistoryService.PAGE_BEFORE, QueryPlans.conversation(3), Long.MAX_VALUE, 51));
      plans.assertIndexOnly(HistoryService.IS_MEMBER, QueryPlans.USER, QueryPlans.conversation(3));
    }
  }
}
