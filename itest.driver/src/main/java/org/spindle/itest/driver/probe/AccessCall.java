package org.spindle.itest.driver.probe;

import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.driver.HostGroup;

/**
 * One {@code grantAccess} or {@code revokeAccess} call, as the driver received it (also when it then failed).
 *
 * @param method   {@code grantAccess} or {@code revokeAccess}
 * @param volumeId the Spindle volume
 * @param group    the host group, with the initiators the core passed
 */
public record AccessCall(String method, UUID volumeId, HostGroup group) {
    public static final String GRANT = "grantAccess";
    public static final String REVOKE = "revokeAccess";

    public AccessCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(group, "group");
    }

    public boolean isGrant() {
        return GRANT.equals(method);
    }
}
