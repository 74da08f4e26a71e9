package dev.switchboard.controlplane.web;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;

/** Recognises "the database is not there right now" among the many shapes the driver and pool give it. */
final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    static boolean matches(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof R2dbcNonTransientResourceException || t instanceof R2dbcTransientResourceException
                    || t instanceof R2dbcTimeoutException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException || t instanceof QueryTimeoutException
                    || t instanceof TimeoutException || t instanceof IOException) {
                return true;
            }
            if (t instanceof R2dbcException r && r.getSqlState() != null
                    && (r.getSqlState().startsWith("08") || r.getSqlState().startsWith("57P"))) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.contains("PostgresConnectionClosedException") || name.contains("PoolShutdown")
                    || name.contains("io.netty.channel") || name.contains("AbortedException")) {
                return true;
            }
        }
        return false;
    }
}
