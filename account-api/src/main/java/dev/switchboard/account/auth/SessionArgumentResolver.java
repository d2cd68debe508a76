package dev.switchboard.account.auth;

import dev.switchboard.common.auth.TokenClaims;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Supplies the caller's {@link TokenClaims} (set by {@link BearerTokenInterceptor}) to handlers.
 */
public final class SessionArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return TokenClaims.class.equals(parameter.getParameterType());
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    Object session =
        webRequest.getAttribute(
            BearerTokenInterceptor.SESSION_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (session == null) {
      // A handler asked for the session but is marked public: a programming error, fail closed.
      throw new UnauthorizedException("a bearer token is required");
    }
    return session;
  }
}
