package dev.switchboard.offlinestore.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.offlinestore.store.StoreFailureException;
import dev.switchboard.offlinestore.store.StoreUnavailableException;
import dev.switchboard.offlinestore.sync.SyncCursor;
import io.grpc.Status;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private final RequestValidator validator = new RequestValidator();

  @Test
  void deviceIds_areOneToSixtyFourPrintableChars() {
    assertThatCode(() -> validator.deviceId("laptop-7f3a")).doesNotThrowAnyException();
    assertThatCode(() -> validator.deviceId("x".repeat(64))).doesNotThrowAnyException();
    assertThatThrownBy(() -> validator.deviceId("")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> validator.deviceId("x".repeat(65)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> validator.deviceId("a\nb"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void emptyCursor_startsAPass_andAMalformedOneIsRejected() {
    assertThat(validator.cursor("")).isEmpty();
    SyncCursor cursor = new SyncCursor(1, "s_1_2", 3);
    assertThat(validator.cursor(cursor.encode())).contains(cursor);
    assertThatThrownBy(() -> validator.cursor("garbage!"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cursor");
  }

  @Test
  void failures_mapToOneStatusEach() {
    assertThat(GrpcErrors.toStatus("Sync", new InvalidRequestException("bad")).getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            GrpcErrors.toStatus(
                    "Sync",
                    new StoreUnavailableException(
                        "down", new SQLTransientConnectionException("timeout")))
                .getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcErrors.toStatus("Sync", new StoreFailureException("bad sql", null)).getCode())
        .isEqualTo(Status.Code.INTERNAL);
    assertThat(GrpcErrors.toStatus("Sync", new IllegalStateException("bug")).getCode())
        .isEqualTo(Status.Code.INTERNAL);
  }
}
