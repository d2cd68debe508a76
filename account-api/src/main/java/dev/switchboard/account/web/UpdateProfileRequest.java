package dev.switchboard.account.web;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PATCH /api/v1/users/me}: a field that is absent (or null) is left as it is; an
 * empty {@code avatarUrl} removes the avatar.
 */
public record UpdateProfileRequest(
    @Size(min = 1, max = 64, message = "must be 1 to 64 characters")
        @Pattern(
            regexp = "(?U)[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*",
            message = "must not be blank or contain control characters")
        String nickname,
    @Size(max = 512, message = "must be at most 512 characters")
        @HttpUrl(
            allowEmpty = true,
            message = "must be an absolute http(s) URL (or empty to remove the avatar)")
        String avatarUrl) {}
