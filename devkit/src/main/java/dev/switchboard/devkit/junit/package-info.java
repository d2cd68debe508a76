/** JUnit 5 support: {@link dev.switchboard.devkit.junit.InfraExtension}. */
package dev.switchboard.devkit.junit;
