package dev.switchboard.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeardownTest {
  private final List<String> ran = new ArrayList<>();
  private final Teardown teardown = new Teardown("test");

  private void open() {
    teardown.onClose("pool", () -> ran.add("close pool"));
    teardown.onClose(
        "producer", () -> ran.add("flush producer"), () -> ran.add("drop producer buffer"));
    teardown.onClose(
        "broken",
        () -> {
          throw new IllegalStateException("boom");
        });
    teardown.onClose("registration", () -> ran.add("deregister"), Teardown.NOTHING);
  }

  @Test
  void close_runsTheCloseOfEveryStep_inReverseOrder_pastAFailingOne() {
    open();
    teardown.close();
    assertThat(ran).containsExactly("deregister", "flush producer", "close pool");
  }

  @Test
  void crash_runsWhatIsLeftOfEachStepWhenTheProcessDies() {
    open();
    teardown.crash();
    assertThat(ran).containsExactly("drop producer buffer", "close pool");
  }

  @Test
  void eachStepRunsOnce() {
    open();
    teardown.crash();
    teardown.close();
    assertThat(ran).containsExactly("drop producer buffer", "close pool");
  }
}
