package org.spindle.hyper.vmware.internal.vim;

import java.util.Objects;

/** A managed object reference: the object's type and its id on the server (e.g. HostSystem host-21). */
public record MoRef(String type, String value) {
    public MoRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
