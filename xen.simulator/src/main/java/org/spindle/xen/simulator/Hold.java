package org.spindle.xen.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One call of a method held in the pool, for the crash tests: {@link When#BEFORE} blocks the call before it acts
 * (a kill then lands while the call is in flight; released, it acts with nobody waiting for its reply, as xapi
 * completes a call whose client went away); {@link When#AFTER} lets it act and blocks its reply (a kill then lands
 * after the effect, and the reply goes nowhere). The call is held until {@link #release()} or until its time is up,
 * whichever comes first. Made by {@link Faults#hold}; {@link Faults#clear()} releases it.
 */
public final class Hold {
    /** Where the call is held. */
    public enum When {
        /** Before the call acts: nothing has happened in the pool yet. */
        BEFORE,
        /** After the call acted, before its reply is sent. */
        AFTER
    }

    private final String method;
    private final When when;
    private final Duration max;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private int skip;

    Hold(String method, When when, int skip, Duration max) {
        if (skip < 0 || max.isNegative()) {
            throw new IllegalArgumentException("skip and max must not be negative");
        }
        this.method = method;
        this.when = when;
        this.skip = skip;
        this.max = max;
    }

    public String method() {
        return method;
    }

    public When when() {
        return when;
    }

    /** Whether the call has arrived and is held (or was). */
    public boolean reached() {
        return reached.getCount() == 0;
    }

    /** Waits up to {@code timeout} for the call to arrive; whether it did. */
    public boolean awaitReached(Duration timeout) throws InterruptedException {
        return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the held call go on (or the next one through, if none has arrived yet). */
    public void release() {
        released.countDown();
    }

    /** Whether the held call has ended: acted, and its reply sent or lost. */
    public boolean done() {
        return done.getCount() == 0;
    }

    /** Waits up to {@code timeout} for the held call to end; whether it did. */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether this hold takes the call now arriving (the first {@code skip} calls pass); counts the call. Under Faults' lock. */
    boolean takes(String called) {
        if (!method.equals(called) && !method.equals("*")) {
            return false;
        }
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    /** Blocks the calling thread (a call of the pool) until released or the time is up, if it is held at {@code at}. */
    void block(When at) {
        if (at != when) {
            return;
        }
        reached.countDown();
        try {
            released.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The held call ended. */
    void finished() {
        reached.countDown();
        done.countDown();
    }

    @Override
    public String toString() {
        return "hold " + method + " " + when + (reached() ? done() ? " (done)" : " (held)" : " (waiting)");
    }
}
