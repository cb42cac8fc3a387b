package org.spindle.hyper.vmware.internal.vim;

import org.spindle.support.io.BoundedInputStream;

/**
 * The limit on one SOAP reply (read through {@link BoundedInputStream}, which cuts it off there), and how much of a
 * peer's text goes into a message.
 * <p>
 * The default, {@value #DEFAULT_MAX} bytes (32 MiB), is the largest legitimate reply with head-room. Measured against
 * spindle-vcsim with 64 hosts and 2,000 VMs in the cluster (the probe is kept in notes/hostile-hv): the largest reply
 * the service asks for is the {@code RetrievePropertiesEx} listing every VM, 1,642,851 bytes (821 bytes a VM: its size
 * comes from the property paths asked, which a real vCenter answers alike). The service asks for pages of at most
 * {@link Properties#MAX_OBJECTS} objects (about 0.8 MB); a vCenter that ignored that and answered its supported
 * maximum of 35,000 VMs in one page would send about 29 MB, still under the limit.
 */
final class ReplyLimit {
    static final long DEFAULT_MAX = 32L << 20;
    /** The longest piece of a reply that goes into an error message. */
    static final int SHOWN = 200;

    private ReplyLimit() {
    }

    /** {@code s} on one line without control characters, cut to {@value #SHOWN} characters. */
    static String clip(String s) {
        return BoundedInputStream.clip(s, SHOWN);
    }
}
