package org.spindle.hyper.kvm.internal;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.libvirt.LibvirtException;
import org.spindle.hyper.kvm.internal.jna.LibvirtCallException;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * How an operation on one host runs: on a worker, bounded by {@code call.timeout.seconds} (a host that does not
 * answer fails the operation as UNAVAILABLE instead of holding a shell command), one at a time per VM, libvirt's
 * failures turned into StorageExceptions.
 */
final class HostCalls implements AutoCloseable {
    private final HostSettings settings;
    private final LibvirtConnection libvirt;
    private final ConcurrentHashMap<String, ReentrantLock> vmLocks = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private volatile HostMonitor monitor;

    HostCalls(HostSettings settings, LibvirtConnection libvirt) {
        this.settings = settings;
        this.libvirt = libvirt;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "spindle-kvm-call " + settings.host());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a worker and runs {@link WarmUp} on it, in the background: a first attach then finds both ready. */
    void warmUp() {
        workers.execute(() -> {
            try {
                WarmUp.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(HostCalls.class).debug("warm-up: {}", e.toString());
            }
        });
    }

    /** Who is told when a call finds the host unreachable. */
    void monitor(HostMonitor m) {
        this.monitor = m;
    }

    /** A libvirt step. */
    interface Step<T> {
        T run() throws LibvirtException;
    }

    /**
     * Runs {@code step} with the VM's lock held (operations on one VM are serialized: device names come from its
     * XML), the wait for the lock and the step together bounded by {@code call.timeout.seconds}.
     */
    <T> T onVm(String vmId, String what, Step<T> step, String... secretValues) {
        long deadline = System.nanoTime() + settings.callTimeout().toNanos();
        ReentrantLock lock = vmLocks.computeIfAbsent(vmId.toLowerCase(Locale.ROOT), k -> new ReentrantLock());
        try {
            if (!lock.tryLock(settings.callTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StorageException(Reason.BUSY, "vm", what + ": another operation on vm " + vmId + " has been running for "
                        + settings.callTimeout().toSeconds() + " s (call.timeout.seconds); retry", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.UNAVAILABLE, "interrupted: " + what);
        }
        try {
            return call(what, deadline, step, secretValues);
        } finally {
            lock.unlock();
        }
    }

    <T> T call(String what, Step<T> step, String... secretValues) {
        return call(what, System.nanoTime() + settings.callTimeout().toNanos(), step, secretValues);
    }

    /**
     * Runs {@code step} on a worker and waits until {@code deadline} at most, turning libvirt failures into
     * StorageExceptions. A host that does not answer in time is UNAVAILABLE naming the timeout; its connection is
     * dropped (the step, still waiting on it, fails with it) and the host probed.
     */
    <T> T call(String what, long deadline, Step<T> step, String... secretValues) {
        Future<T> f = workers.submit(step::run);
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            libvirt.abandon();
            HostMonitor m = monitor;
            if (m != null) {
                m.probeSoon();
            }
            throw new StorageException(Reason.UNAVAILABLE, "host", what + " failed: KVM host " + settings.host() + " (" + settings.libvirtUri()
                    + ") did not answer within " + settings.callTimeout().toSeconds() + " s (call.timeout.seconds)", null);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.UNAVAILABLE, "interrupted: " + what);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof LibvirtException le) {
                StorageException se = LibvirtErrors.map(what, le, secretValues);
                if (se.reason() == Reason.UNAVAILABLE) {
                    libvirt.reset();
                    if (monitor != null) {
                        monitor.probeSoon();
                    }
                }
                throw se;
            }
            if (c instanceof LibvirtCallException lce) {
                throw LibvirtErrors.map(what, lce, secretValues);
            }
            if (c instanceof StorageException se && se.reason() == Reason.UNAVAILABLE && monitor != null) {
                monitor.probeSoon();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new StorageException(Reason.BACKEND_FAILURE, what + " failed: " + c);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
