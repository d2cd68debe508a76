package dev.switchboard.account.auth;

import dev.switchboard.common.auth.TokenClaims;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every API handler not marked {@link PublicEndpoint}. Failures are thrown, so the
 * one problem advice answers them like any other error.
 */
public final class BearerTokenInterceptor implements HandlerInterceptor {
  static final String SESSION_ATTRIBUTE = BearerTokenInterceptor.class.getName() + ".session";

  private final TokenAuthenticator authenticator;

  public BearerTokenInterceptor(TokenAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method) || isPublic(method)) {
      return true;
    }
    TokenClaims session = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
    request.setAttribute(SESSION_ATTRIBUTE, session);
    return true;
  }

  private static boolean isPublic(HandlerMethod method) {
    return method.hasMethodAnnotation(PublicEndpoint.class)
        || method.getBeanType().isAnnotationPresent(PublicEndpoint.class);
  }
}
