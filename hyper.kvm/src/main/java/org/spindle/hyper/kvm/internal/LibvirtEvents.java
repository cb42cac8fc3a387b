package org.spindle.hyper.kvm.internal;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's event loop for this bundle: keepalive, the close callback of a connection and domain events all need it,
 * and it must be registered before the first connection opens (the attach services reference this component, so DS
 * activates it first). One thread runs {@code virEventRunDefaultImpl} until the bundle stops.
 */
@Component(service = LibvirtEvents.class, immediate = true)
public final class LibvirtEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtEvents.class);

    private final Thread loop;
    private volatile boolean running;

    @Activate
    public LibvirtEvents() {
        boolean ok;
        try {
            Library.initEventLoop();
            ok = true;
        } catch (LibvirtException | RuntimeException | LinkageError e) {
            LOG.warn("libvirt's event loop is not available (no keepalive, no events): {}", e.getMessage());
            ok = false;
        }
        running = ok;
        loop = new Thread(this::run, "spindle-kvm-libvirt-events");
        loop.setDaemon(true);
        if (ok) {
            loop.start();
        }
    }

    /** Whether the loop runs: keepalive and callbacks work only then. */
    boolean running() {
        return running;
    }

    private void run() {
        try {
            Library.runEventLoop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LibvirtException | RuntimeException e) {
            LOG.error("libvirt's event loop stopped: {}", e.getMessage());
        } finally {
            running = false;
        }
    }

    @Deactivate
    public void close() {
        if (!loop.isAlive()) {
            return;
        }
        try {
            Library.stopEventLoop();
            loop.join(5000);
        } catch (LibvirtException e) {
            LOG.debug("stopping libvirt's event loop: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
