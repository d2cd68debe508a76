package dev.switchboard.devkit.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.delivery.DeliveryChecker.Report;
import org.junit.jupiter.api.Test;

class DeliveryCheckerTest {
  private final DeliveryChecker checker = new DeliveryChecker();

  @Test
  void everyMessageOnceInOrderOnEveryDevice_isClean() {
    checker.expectDevice(2, "bob-phone");
    checker.expectDevice(2, "bob-laptop");
    checker.sent("c1", 101, "s_1_2", 1, 2);
    checker.sent("c2", 102, "s_1_2", 2, 2);
    for (String device : new String[] {"bob-phone", "bob-laptop"}) {
      checker.surfaced(device, 101, "s_1_2", 1);
      checker.surfaced(device, 102, "s_1_2", 2);
    }

    Report report = checker.report();

    assertThat(report.clean()).as(report.toString()).isTrue();
    assertThat(report.sent()).isEqualTo(2);
    assertThat(report.surfaced()).isEqualTo(4);
  }

  @Test
  void aMessageMissingOnOneDevice_isLostThere() {
    checker.expectDevice(2, "bob-phone");
    checker.expectDevice(2, "bob-laptop");
    checker.sent("c1", 101, "s_1_2", 1, 2);
    checker.surfaced("bob-phone", 101, "s_1_2", 1);

    Report report = checker.report();

    assertThat(report.lost()).isEqualTo(1);
    assertThat(report.examples()).anyMatch(e -> e.contains("bob-laptop"));
    assertThat(report.clean()).isFalse();
  }

  @Test
  void surfacingTwice_isADuplicate_andOutOfOrder_isAnOrderViolation() {
    checker.expectDevice(2, "bob");
    checker.sent("c1", 101, "s_1_2", 1, 2);
    checker.sent("c2", 102, "s_1_2", 2, 2);
    checker.surfaced("bob", 102, "s_1_2", 2);
    checker.surfaced("bob", 101, "s_1_2", 1);
    checker.surfaced("bob", 101, "s_1_2", 1);

    Report report = checker.report();

    assertThat(report.duplicates()).isEqualTo(1);
    assertThat(report.orderViolations()).isEqualTo(1);
    assertThat(report.lost()).isZero();
  }

  @Test
  void aClientMsgIdWithTwoIds_andAHoleInTheSeqs_areReported() {
    checker.sent("c1", 101, "s_1_2", 1, 2);
    checker.sent("c1", 999, "s_1_2", 3, 2);

    Report report = checker.report();

    assertThat(report.duplicateSends()).isEqualTo(1);
    assertThat(report.gaps()).isEqualTo(1);
  }

  @Test
  void aResentClientMsgIdWithTheSameId_isFine() {
    checker.expectDevice(2, "bob");
    checker.sent("c1", 101, "s_1_2", 1, 2);
    checker.sent("c1", 101, "s_1_2", 1, 2);
    checker.surfaced("bob", 101, "s_1_2", 1);

    assertThat(checker.report().clean()).isTrue();
  }

  @Test
  void devicesOfOtherUsers_areNotExpectedToSeeTheMessage() {
    checker.expectDevice(2, "bob");
    checker.expectDevice(3, "carol");
    checker.sent("c1", 101, "s_1_2", 1, 2);
    checker.surfaced("bob", 101, "s_1_2", 1);

    assertThat(checker.report().clean()).isTrue();
  }
}
