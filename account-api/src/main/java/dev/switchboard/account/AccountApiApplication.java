package dev.switchboard.account;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application: component scan of this package (controllers, the problem advice,
 * {@link AccountApiWiring}) plus Boot's auto-configuration. Started only by {@link
 * AccountApiServer}, which supplies every property.
 */
@SpringBootApplication
public class AccountApiApplication {}
