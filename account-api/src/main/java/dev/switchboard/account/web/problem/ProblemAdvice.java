package dev.switchboard.account.web.problem;

import dev.switchboard.account.auth.UnauthorizedException;
import dev.switchboard.account.grpc.DependencyUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where failures become RFC 7807 problems: domain outcomes ({@link
 * ProblemException}), rate limits, authentication, unavailable dependencies, and every Spring MVC
 * error (validation, unreadable JSON, 404, 405, ...), each with a stable {@code code} property and
 * the type {@code https://switchboard.dev/problems/<code>}.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  /** Tells well-behaved clients when to retry a 503. */
  private static final String RETRY_AFTER_SECONDS = "1";

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> onProblem(ProblemException e) {
    return respond(problem(e.code(), e.getMessage()), new HttpHeaders());
  }

  @ExceptionHandler(UnauthorizedException.class)
  ResponseEntity<ProblemDetail> onUnauthorized(UnauthorizedException e) {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    return respond(problem(ProblemCode.UNAUTHORIZED, e.getMessage()), headers);
  }

  @ExceptionHandler(RateLimitedException.class)
  ResponseEntity<ProblemDetail> onRateLimited(RateLimitedException e) {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
    return respond(problem(ProblemCode.RATE_LIMITED, e.getMessage()), headers);
  }

  @ExceptionHandler(DependencyUnavailableException.class)
  ResponseEntity<ProblemDetail> onDependencyUnavailable(DependencyUnavailableException e) {
    log.warn("answering 503: {}", e.getMessage());
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    return respond(
        problem(ProblemCode.DEPENDENCY_UNAVAILABLE, e.dependency() + " is unavailable, try again"),
        headers);
  }

  /**
   * The database is out of reach or out of connections (e.g. a registration burst exhausting the
   * pool): the request may succeed shortly, so 503 with Retry-After rather than a 500.
   */
  @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
  ResponseEntity<ProblemDetail> onDatabaseUnavailable(DataAccessException e) {
    log.warn("answering 503, database unavailable: {}", e.getMessage());
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    return respond(
        problem(ProblemCode.DEPENDENCY_UNAVAILABLE, "the database is unavailable, try again"),
        headers);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> onUnexpected(Exception e) {
    log.error("unexpected failure", e);
    return respond(
        problem(ProblemCode.INTERNAL_ERROR, "an unexpected error occurred"), new HttpHeaders());
  }

  /** Every Spring MVC exception handled by the base class ends here. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (request instanceof ServletWebRequest servlet
        && servlet.getResponse() != null
        && servlet.getResponse().isCommitted()) {
      return null;
    }
    ProblemDetail problem = mvcProblem(ex, status);
    log.debug("answering {}: {}", problem.getStatus(), ex.toString());
    return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
  }

  private static ProblemDetail mvcProblem(Exception ex, HttpStatusCode status) {
    if (ex instanceof BindException invalid) {
      List<Map<String, String>> errors = new ArrayList<>();
      for (FieldError error : invalid.getBindingResult().getFieldErrors()) {
        errors.add(Map.of("field", error.getField(), "message", message(error)));
      }
      invalid
          .getBindingResult()
          .getGlobalErrors()
          .forEach(error -> errors.add(Map.of("field", "", "message", message(error))));
      return validationProblem(errors);
    }
    if (ex instanceof HandlerMethodValidationException invalid) {
      List<Map<String, String>> errors = new ArrayList<>();
      invalid
          .getParameterValidationResults()
          .forEach(
              result ->
                  result
                      .getResolvableErrors()
                      .forEach(
                          error ->
                              errors.add(
                                  Map.of(
                                      "field",
                                      String.valueOf(
                                          result.getMethodParameter().getParameterName()),
                                      "message",
                                      message(error)))));
      return validationProblem(errors);
    }
    if (ex instanceof MissingServletRequestParameterException missing) {
      return problem(
          ProblemCode.VALIDATION_FAILED,
          "required parameter '" + missing.getParameterName() + "' is missing");
    }
    if (ex instanceof TypeMismatchException mismatch) {
      String name = mismatch.getPropertyName() == null ? "a parameter" : mismatch.getPropertyName();
      return problem(
          ProblemCode.VALIDATION_FAILED,
          "'" + mismatch.getValue() + "' is not a valid value for " + name);
    }
    if (ex instanceof HttpMessageNotReadableException) {
      // The parser's own message may quote the input; a fixed text is enough for the client.
      return problem(
          ProblemCode.MALFORMED_REQUEST,
          "the request body is missing or is not JSON of the expected shape");
    }
    if (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException) {
      return problem(ProblemCode.NOT_FOUND, "no such resource");
    }
    if (ex instanceof HttpRequestMethodNotSupportedException unsupported) {
      return problem(
          ProblemCode.METHOD_NOT_ALLOWED,
          unsupported.getMethod() + " is not supported for this resource");
    }
    if (ex instanceof HttpMediaTypeNotSupportedException) {
      return problem(
          ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send the request body as application/json");
    }
    if (ex instanceof HttpMediaTypeNotAcceptableException) {
      return problem(ProblemCode.NOT_ACCEPTABLE, "responses are application/json");
    }
    if (ex instanceof MaxUploadSizeExceededException) {
      return problem(ProblemCode.PAYLOAD_TOO_LARGE, "the request body is too large");
    }
    ProblemCode code =
        status.is5xxServerError() ? ProblemCode.INTERNAL_ERROR : ProblemCode.BAD_REQUEST;
    if (status.is5xxServerError()) {
      log.error("MVC failure answered with {}", status.value(), ex);
    }
    ProblemDetail problem = problem(code, code.title().toLowerCase(Locale.ROOT));
    problem.setStatus(status.value());
    return problem;
  }

  private static ProblemDetail validationProblem(List<Map<String, String>> errors) {
    String detail =
        errors.stream()
            .map(
                error ->
                    error.get("field").isEmpty()
                        ? error.get("message")
                        : error.get("field") + ": " + error.get("message"))
            .collect(Collectors.joining("; "));
    ProblemDetail problem =
        problem(ProblemCode.VALIDATION_FAILED, detail.isEmpty() ? "invalid request" : detail);
    problem.setProperty("errors", errors);
    return problem;
  }

  private static String message(MessageSourceResolvable error) {
    return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
  }

  /** The factory for every problem body. */
  public static ProblemDetail problem(ProblemCode code, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
    problem.setType(code.type());
    problem.setTitle(code.title());
    problem.setProperty("code", code.code());
    return problem;
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
    return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
  }
}
