package org.spindle.hyper.kvm.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;

/**
 * Whether one host answers: probed every {@code probe.interval.seconds} (and at once when its connection closes or a
 * call found it unreachable), each probe bounded by the connect timeout. Changes are reported to a {@link Listener}
 * (the attach service takes itself away and back), once per change, with the reason.
 */
final class HostMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostMonitor.class);

    /** Told when the host stops or starts answering. */
    interface Listener {
        void unavailable(String reason);

        void available();

        /** The drift found on the host now (empty: none), each time it changes. */
        default void drift(java.util.List<DriftWatch.Drift> now) {
        }
    }

    /** Work done after each probe that found the host answering (the drift check). */
    interface AfterProbe {
        void run() throws org.libvirt.LibvirtException;
    }

    private final String host;
    private final LibvirtConnection libvirt;
    private final Duration interval;
    private final Duration timeout;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private Boolean up; // null until the first probe; guarded by this
    private String reason;
    private volatile String closed; // why libvirt closed the connection last, until a probe succeeds
    private volatile AfterProbe afterProbe;

    HostMonitor(String host, LibvirtConnection libvirt, Duration interval, Duration timeout, Listener listener) {
        this.host = host;
        this.libvirt = libvirt;
        this.interval = interval;
        this.timeout = timeout;
        this.listener = listener;
        this.scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "spindle-kvm-monitor " + host);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} after every probe that found the host answering. */
    void afterProbe(AfterProbe work) {
        this.afterProbe = work;
    }

    /** Probes now, then every interval. */
    HostMonitor start() {
        scheduler.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** libvirt closed the connection ({@code why}: keepalive, end of file, error): probe at once. */
    void connectionClosed(String why) {
        closed = why;
        probeSoon();
    }

    /** Probes as soon as possible (a closed connection, a call that found no host). */
    void probeSoon() {
        if (!scheduler.isShutdown()) {
            try {
                scheduler.execute(this::probe);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Why the host is unavailable, or null when it answers (or was not probed yet). */
    synchronized String unavailableReason() {
        return Boolean.FALSE.equals(up) ? reason : null;
    }

    void probe() {
        String failure = check();
        if (failure == null) {
            closed = null;
            AfterProbe work = afterProbe;
            if (work != null) {
                try {
                    work.run();
                } catch (org.libvirt.LibvirtException | RuntimeException e) {
                    LOG.debug("KVM host {}: check after the probe failed: {}", host, e.getMessage());
                }
            }
        } else if (closed != null) {
            failure = failure + "; " + closed;
        }
        boolean changed;
        synchronized (this) {
            boolean nowUp = failure == null;
            changed = up == null || up != nowUp || (!nowUp && !failure.equals(reason));
            boolean firstAndUp = up == null && nowUp;
            up = nowUp;
            reason = failure;
            if (firstAndUp) {
                return; // registered as available from the start
            }
        }
        if (!changed) {
            return;
        }
        try {
            if (failure == null) {
                LOG.info("KVM host {} at {} answers again", host, libvirt.uri());
                listener.available();
            } else {
                LOG.warn("KVM host {} is unavailable: {}", host, failure);
                listener.unavailable(failure);
            }
        } catch (RuntimeException e) {
            LOG.error("KVM host {}: reporting its availability failed: {}", host, e.getMessage(), e);
        }
    }

    /** Null when the host answers within the timeout, else why not (one line, no secret). */
    private String check() {
        java.util.concurrent.FutureTask<Long> task = new java.util.concurrent.FutureTask<>(() -> libvirt.get().getLibVersion());
        Thread t = new Thread(task, "spindle-kvm-probe " + host);
        t.setDaemon(true);
        t.start();
        try {
            task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            task.cancel(true);
            libvirt.abandon();
            return "libvirt at " + libvirt.uri() + " did not answer within " + timeout.toSeconds() + " s";
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof StorageException se) {
                return se.getMessage();
            }
            if (c instanceof LibvirtException le) {
                libvirt.reset();
                return "libvirt at " + libvirt.uri() + " failed: "
                        + LibvirtErrors.oneLine(le.getError() == null ? le.getMessage() : le.getError().getMessage());
            }
            return "libvirt at " + libvirt.uri() + " failed: " + c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
