package dev.switchboard.account.web;

import dev.switchboard.account.auth.BearerTokenInterceptor;
import dev.switchboard.account.auth.SessionArgumentResolver;
import dev.switchboard.account.auth.TokenAuthenticator;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Bearer-token authentication for the API (everything but {@code @PublicEndpoint} handlers). */
@Configuration(proxyBeanMethods = false)
public class WebConfig implements WebMvcConfigurer {
  private final TokenAuthenticator authenticator;

  public WebConfig(TokenAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new BearerTokenInterceptor(authenticator)).addPathPatterns("/api/**");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new SessionArgumentResolver());
  }
}
