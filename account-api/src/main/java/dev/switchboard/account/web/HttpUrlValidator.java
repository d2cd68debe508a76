package dev.switchboard.account.web;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks {@link HttpUrl}: parsed with {@link URI}, which refuses spaces and control characters. */
public final class HttpUrlValidator implements ConstraintValidator<HttpUrl, String> {
  private boolean allowEmpty;

  @Override
  public void initialize(HttpUrl annotation) {
    allowEmpty = annotation.allowEmpty();
  }

  @Override
  public boolean isValid(String value, ConstraintValidatorContext context) {
    if (value == null) {
      return true;
    }
    if (value.isEmpty()) {
      return allowEmpty;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https"))
        && uri.getHost() != null
        && !uri.getHost().isEmpty()
        && uri.getRawUserInfo() == null;
  }
}
