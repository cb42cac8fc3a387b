package org.spindle.storage.core.internal.qos;

import java.util.Objects;

import org.spindle.storage.api.qos.IoLimits;

/**
 * The attach service a plan is made for.
 *
 * @param service  its identity ({@code hypervisor.service}), for messages
 * @param type     its {@code hypervisor.type}, for messages
 * @param limits   what it enforces
 * @param defaults the default limits of its hypervisor type, applied when a volume asks for none;
 *                 {@link IoLimits#NONE} when none are configured
 */
public record HypervisorSide(String service, String type, LimitCapabilities limits, IoLimits defaults) {
    public HypervisorSide {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(defaults, "defaults");
    }

    /** A hypervisor known only by what it enforces, without defaults. */
    public static HypervisorSide of(LimitCapabilities limits) {
        return new HypervisorSide(null, null, limits, IoLimits.NONE);
    }

    /** For messages: {@code attach service kvm-h1}, or {@code the hypervisor}. */
    String label() {
        return service == null ? "the hypervisor" : "attach service " + service;
    }
}
