package dev.switchboard.delivery.store;

import java.sql.SQLException;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** What a failed statement means for a batch writer: retry elsewhere, blame one record, or give up on the batch. */
public enum SqlFailure {
    /** The connection is gone (network, server restart, terminated backend): a fresh connection may succeed. */
    CONNECTION_LOST,
    /** A value or a constraint of some row (bad data, duplicate key, missing partition): the other rows are fine. */
    ROW_SPECIFIC,
    /** Anything else (timeouts, schema problems, resources): the batch fails as a whole. */
    BATCH;

    public static SqlFailure of(Exception e) {
        if (!(e instanceof SQLException sql)) {
            // Serializing a record (JSON) can only fail for that record.
            return ROW_SPECIFIC;
        }
        String state = sql.getSQLState();
        if (state == null) {
            return BATCH;
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return CONNECTION_LOST;
        }
        // 22: data exception, 23: integrity constraint (23514 is also "no partition for this row"), 54: too big.
        if (state.startsWith("22") || state.startsWith("23") || state.startsWith("54")) {
            return ROW_SPECIFIC;
        }
        return BATCH;
    }

    public static boolean isCheckViolation(Exception e) {
        return e instanceof SQLException sql && "23514".equals(sql.getSQLState());
    }

    /**
     * SQLState and the server's primary message, for logs. Never the detail or context: PostgreSQL puts row values
     * there ("Failing row contains ...", COPY's column value), and the log must not show request bodies or headers.
     */
    public static String describe(Exception e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            return psql.getSQLState() + " " + server.getMessage();
        }
        if (e instanceof SQLException sql) {
            return sql.getSQLState() + " " + sql.getClass().getSimpleName() + ": " + firstLine(sql.getMessage());
        }
        return e.getClass().getSimpleName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
