package dev.switchboard.userstatus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

  @Test
  void invalidRequest_isInvalidArgumentWithTheMessage() {
    Status status =
        GrpcErrors.toStatus("Online", new InvalidRequestException("session is required"));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("session is required");
  }

  @Test
  void unexpectedFailure_isInternal_withoutLeakingItsMessage() {
    Status status = GrpcErrors.toStatus("Online", new NullPointerException("secret detail"));

    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).isEqualTo("Online failed: NullPointerException");
  }
}
