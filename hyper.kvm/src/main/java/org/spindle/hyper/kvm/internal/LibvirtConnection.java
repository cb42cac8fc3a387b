package org.spindle.hyper.kvm.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

import com.sun.jna.Pointer;

/**
 * The libvirt connection of one host, opened on first use and reopened when it died (libvirtd restarted,
 * SSH dropped). A libvirt connection is thread-safe, so one is shared by all calls. With libvirt's event loop running
 * it uses keepalive (a dead peer closes the connection after interval x count seconds instead of hanging a call) and
 * reports a close, whatever its cause, to {@code onClose}.
 */
final class LibvirtConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    private final String uri;
    private final String connectUri;
    private final Duration connectTimeout;
    private final int keepaliveInterval;
    private final int keepaliveCount;
    private final LibvirtEvents events;
    private final java.util.function.Consumer<String> onClose;
    private volatile org.libvirt.event.LifecycleListener lifecycle;
    private Connect connect;
    /** The lifecycle listener registered on {@link #connect}, or null. */
    private org.libvirt.event.LifecycleListener registered;
    private boolean closed;
    /**
     * Connections closed lately, kept reachable: libvirt may still dispatch an event queued before the close on the
     * event loop's thread, and libvirt-java's callback objects (JNA trampolines) die with their {@code Connect}; a
     * dispatch into a collected one crashed the JVM (SIGSEGV in the event loop, seen under load).
     */
    private final java.util.Deque<Connect> retired = new java.util.ArrayDeque<>();
    private static final int RETIRED_KEPT = 8;
    private static boolean errorFunctionSet;
    /** Referenced for as long as the class lives: libvirt calls it from native code. */
    private static final Libvirt.VirErrorCallback TO_DEBUG_LOG = new DebugLogErrors();

    /** libvirt's error function: to the debug log. */
    static final class DebugLogErrors implements Libvirt.VirErrorCallback {
        @Override
        public void errorCallback(Pointer userData, virError error) {
            LOG.debug("libvirt: {}", error == null ? null : error.message);
        }
    }

    LibvirtConnection(String uri, Duration connectTimeout) {
        this(uri, uri, connectTimeout, 0, 1, null, reason -> { });
    }

    /**
     * @param uri        the configured URI (what messages name)
     * @param connectUri what libvirt is given: {@code uri} plus the parameters naming the credentials' files
     */
    LibvirtConnection(String uri, String connectUri, Duration connectTimeout, int keepaliveInterval, int keepaliveCount,
                      LibvirtEvents events, java.util.function.Consumer<String> onClose) {
        this.uri = uri;
        this.connectUri = connectUri;
        this.connectTimeout = connectTimeout;
        this.keepaliveInterval = keepaliveInterval;
        this.keepaliveCount = keepaliveCount;
        this.events = events;
        this.onClose = onClose;
    }

    String uri() {
        return uri;
    }

    /** Domain lifecycle events of this host go to {@code l}, on every connection from the next one on. */
    void onLifecycle(org.libvirt.event.LifecycleListener l) {
        this.lifecycle = l;
    }

    /** The open connection, opening or reopening it when needed. */
    synchronized Connect get() {
        if (closed) {
            throw new StorageException(Reason.UNAVAILABLE, "the KVM attach service for " + uri + " is stopping");
        }
        if (connect != null) {
            try {
                if (connect.isAlive()) {
                    return connect;
                }
            } catch (LibvirtException e) {
                LOG.debug("libvirt connection to {} is unusable: {}", uri, e.getMessage());
            }
            LOG.info("libvirt connection to {} was lost; reconnecting", uri);
            closeQuietly();
        }
        connect = open();
        return connect;
    }

    /** Drops the connection so that the next {@link #get()} reconnects (after an RPC failure). */
    synchronized void reset() {
        closeQuietly();
    }

    /**
     * Drops the connection without waiting for libvirt to close it (after a call that did not answer in time: closing
     * a connection to a peer that does not answer can itself wait for it).
     */
    void abandon() {
        Connect c;
        org.libvirt.event.LifecycleListener l;
        synchronized (this) {
            c = connect;
            l = registered;
            connect = null;
            registered = null;
            if (c != null) {
                retire(c);
            }
        }
        if (c != null) {
            Thread t = new Thread(() -> release(c, l), "spindle-kvm-close " + uri);
            t.setDaemon(true);
            t.start();
        }
    }

    private Connect open() {
        silenceDefaultErrorPrinting();
        java.util.concurrent.atomic.AtomicReference<org.libvirt.event.LifecycleListener> added =
                new java.util.concurrent.atomic.AtomicReference<>();
        FutureTask<Connect> task = new FutureTask<>(() -> {
            Connect c = new Connect(connectUri);
            if (events != null && events.running()) {
                if (keepaliveInterval > 0) {
                    c.setKeepAlive(keepaliveInterval, keepaliveCount);
                }
                org.libvirt.event.LifecycleListener l = lifecycle;
                if (l != null) {
                    c.addLifecycleListener(l);
                    added.set(l); // not under this object's lock: get() holds it while waiting for this task
                }
                c.registerCloseListener((conn, reason) -> {
                    if (reason != org.libvirt.event.ConnectionCloseReason.CLIENT) {
                        LOG.info("libvirt connection to {} closed: {}", uri, reason);
                        onClose.accept("the connection was closed (" + String.valueOf(reason).toLowerCase(java.util.Locale.ROOT)
                                + (reason == org.libvirt.event.ConnectionCloseReason.KEEPALIVE ? ": keepalive unanswered" : "") + ")");
                    }
                });
            }
            return c;
        });
        Thread t = new Thread(task, "spindle-kvm-connect " + uri);
        t.setDaemon(true);
        t.start();
        try {
            Connect c = task.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            registered = added.get();
            LOG.info("connected to libvirt at {}", uri);
            return c;
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new StorageException(Reason.UNAVAILABLE, "libvirt.uri", "libvirt at " + uri + " did not answer within "
                    + connectTimeout.toSeconds() + " s", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LibvirtException le) {
                throw new StorageException(Reason.UNAVAILABLE, "libvirt.uri", "cannot connect to libvirt at " + uri + ": "
                        + LibvirtErrors.oneLine(le.getError() == null ? le.getMessage() : le.getError().getMessage()), le);
            }
            throw new StorageException(Reason.UNAVAILABLE, "libvirt.uri", "cannot connect to libvirt at " + uri + ": "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.UNAVAILABLE, "libvirt.uri", "interrupted while connecting to " + uri, e);
        }
    }

    /**
     * libvirt prints every error on stderr unless an error function is set. Errors reach callers as exceptions
     * (and StorageExceptions) anyway; here they only go to the debug log. The setting is process-wide.
     */
    private static synchronized void silenceDefaultErrorPrinting() {
        if (!errorFunctionSet) {
            try {
                Connect.setErrorCallback(TO_DEBUG_LOG);
                errorFunctionSet = true;
            } catch (LibvirtException | RuntimeException e) {
                LOG.debug("cannot set libvirt's error function: {}", e.getMessage());
            }
        }
    }

    private void closeQuietly() {
        if (connect != null) {
            retire(connect);
            release(connect, registered);
            connect = null;
            registered = null;
        }
    }

    /** Keeps {@code c} reachable for a while after its close (see {@link #retired}). */
    private synchronized void retire(Connect c) {
        retired.addLast(c);
        while (retired.size() > RETIRED_KEPT) {
            retired.removeFirst();
        }
    }

    /** Deregisters this service's callbacks from {@code c}, then closes it; each step may fail on a dead connection. */
    private void release(Connect c, org.libvirt.event.LifecycleListener l) {
        try {
            if (l != null) {
                c.removeLifecycleListener(l);
            }
            if (events != null && events.running()) {
                c.unregisterCloseListener();
            }
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("deregistering from the libvirt connection to {}: {}", uri, e.getMessage());
        }
        try {
            c.close();
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("closing libvirt connection to {}: {}", uri, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }
}
