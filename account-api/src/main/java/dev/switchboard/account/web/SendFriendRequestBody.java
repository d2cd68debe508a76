package dev.switchboard.account.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/friend-requests}. */
public record SendFriendRequestBody(
    @NotNull(message = "is required") @Positive(message = "must be a user id") Long toUserId,
    @Size(max = 200, message = "must be at most 200 characters")
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String message) {}
