package dev.switchboard.delivery.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import io.quarkus.logging.Log;

/**
 * The one connection a background writer keeps for its transactions, so a batch never waits for the pool and the
 * session keeps its server-side prepared statements. After a failure it is given back, and the next batch takes a
 * fresh one.
 */
public final class WriterConnection implements AutoCloseable {

    private final DataSource dataSource;
    private final String name;
    private final Duration writeTimeout;
    private final boolean durableCommits;
    private Connection connection;

    /**
     * @param name           shown as the session's application_name (pg_stat_activity), e.g. the thread name
     * @param durableCommits whether a commit must wait for the WAL flush even if the server defaults to
     *                       {@code synchronous_commit = off} (the embedded server does): the recorder promises
     *                       senders that a 200 is on disk, the outcome writer does not need to
     */
    public WriterConnection(DataSource dataSource, String name, Duration writeTimeout, boolean durableCommits) {
        this.dataSource = dataSource;
        this.name = name;
        this.writeTimeout = writeTimeout;
        this.durableCommits = durableCommits;
    }

    /** The connection, in a transaction (auto-commit off), taken from the pool if there is none. */
    public Connection get() throws SQLException {
        if (connection == null) {
            Connection fresh = dataSource.getConnection();
            try {
                configure(fresh);
            } catch (SQLException e) {
                closeQuietly(fresh);
                throw e;
            }
            connection = fresh;
        }
        return connection;
    }

    /** Ends a failed transaction; a connection that cannot even roll back is discarded. */
    public void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            discard();
        }
    }

    /** Rolls back and gives the connection back to the pool; the next {@link #get()} takes a fresh one. */
    public void discard() {
        if (connection == null) {
            return;
        }
        Connection old = connection;
        connection = null;
        try {
            old.rollback();
            resetSession(old);
        } catch (SQLException e) {
            Log.debugf("Writer connection could not be reset (%s); giving it back anyway", e.getMessage());
        }
        closeQuietly(old);
    }

    @Override
    public void close() {
        discard();
    }

    private void configure(Connection c) throws SQLException {
        c.setAutoCommit(false);
        // A stuck server or network fails the batch (503) instead of leaving senders waiting; the socket timeout
        // covers a peer that has vanished without closing the connection.
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, writeTimeout.toMillis() * 2));
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = '" + name + "'");
            s.execute("SET statement_timeout = " + writeTimeout.toMillis());
            if (durableCommits && asynchronousCommits(s)) {
                s.execute("SET synchronous_commit = on");
            }
        }
        c.commit();
    }

    private static boolean asynchronousCommits(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            return rs.next() && "off".equals(rs.getString(1));
        }
    }

    /** Session settings outlive the pool's checkout; other users of this connection get the server's defaults back. */
    private static void resetSession(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("RESET application_name");
            s.execute("RESET statement_timeout");
            s.execute("RESET synchronous_commit");
        }
        c.commit();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            Log.debugf("Closing writer connection: %s", e.getMessage());
        }
    }
}
