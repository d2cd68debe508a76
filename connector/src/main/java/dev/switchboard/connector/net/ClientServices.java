package dev.switchboard.connector.net;

import dev.switchboard.connector.ConnectorMetrics;
import dev.switchboard.connector.auth.Authenticator;
import dev.switchboard.connector.route.CursorWriter;
import dev.switchboard.connector.route.MessageForwarder;
import dev.switchboard.connector.route.SessionRegistrar;
import dev.switchboard.connector.route.SyncSource;
import dev.switchboard.connector.session.SessionTable;
import java.time.Clock;

/** What the client handlers talk to; shared by all connections, all thread-safe. */
public record ClientServices(
    Authenticator authenticator,
    SessionTable sessions,
    SessionRegistrar registrar,
    MessageForwarder forwarder,
    SyncSource syncSource,
    CursorWriter cursorWriter,
    ConnectorMetrics metrics,
    Clock clock) {}
