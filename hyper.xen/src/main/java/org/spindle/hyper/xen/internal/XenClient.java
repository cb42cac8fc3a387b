package org.spindle.hyper.xen.internal;

import com.xensource.xenapi.Connection;

/**
 * The one door to a pool's XenAPI: a call runs on a logged-in connection to the current master. Whoever
 * implements it owns the session (login, re-login on SESSION_INVALID, following HOST_IS_SLAVE, logout) and turns
 * failures into {@link org.spindle.storage.api.StorageException}s without secrets.
 */
interface XenClient extends AutoCloseable {
    /** A piece of work with the SDK on a logged-in connection. */
    @FunctionalInterface
    interface Call<T> {
        T run(Connection c) throws Exception;
    }

    /** Runs {@code call}; what it names ({@code SR.create}…) goes into error messages. */
    <T> T call(String what, Call<T> call);

    /**
     * An HTTPS GET of {@code pathAndQuery} from pool host {@code host} (its address), authorised by this session
     * ({@code session_id} is appended), as xapi's HTTP handlers ({@code /rrd_updates}…) take it. Returns the body of a
     * 200; what the call is named ({@code what}) goes into error messages.
     */
    String get(String what, String host, String pathAndQuery);

    @Override
    void close();
}
