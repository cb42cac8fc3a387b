package org.spindle.itest.attach.probe;

import java.util.List;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;

/**
 * One {@code updateHosts} call, as received (also when it was refused), with the service's hosts and
 * initiators at that moment.
 *
 * @param attachment the attachment the core passed
 * @param target     the target the core passed: portals, IQN, LUN, device id, and the CHAP credentials the
 *                   hosts log in with ({@code target.chap()}; never printed by {@code toString()})
 * @param hosts      {@code hypervisor.hosts} when the call came
 * @param initiators {@code hypervisor.initiators} when the call came
 */
public record HostsUpdate(Attachment attachment, Target target, List<String> hosts, List<String> initiators) {
    public HostsUpdate {
        hosts = List.copyOf(hosts);
        initiators = List.copyOf(initiators);
    }
}
