package org.spindle.hyper.xen.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.VmInfo;

import com.xensource.xenapi.Host;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VM;

/** What the pool says of its hosts and VMs: read each time, never configured by hand. */
final class PoolHosts {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A host: its name_label, its initiator IQN ({@code other_config:iscsi_iqn}, null when it has none). */
    record XenHost(String name, String uuid, String iqn) {
    }

    private final XenClient xen;

    PoolHosts(XenClient xen) {
        this.xen = xen;
    }

    List<XenHost> hosts() {
        return xen.call("host.get_all_records", c -> {
            List<XenHost> out = new ArrayList<>();
            for (Host.Record r : Host.getAllRecords(c).values()) {
                out.add(new XenHost(r.nameLabel, r.uuid, r.otherConfig == null ? null : r.otherConfig.get("iscsi_iqn")));
            }
            out.sort(java.util.Comparator.comparing(XenHost::name));
            return List.copyOf(out);
        });
    }

    /** The VM by uuid or name_label (templates and control domains are no VMs here). */
    Optional<VmInfo> findVm(String vm) {
        if (vm == null || vm.isBlank() || vm.length() > 255 || vm.chars().anyMatch(Character::isISOControl)) {
            throw StorageException.invalid("vm", "must be a VM name_label or uuid of at most 255 characters without control characters");
        }
        return xen.call("VM.get_all_records", c -> {
            List<VmInfo> byName = new ArrayList<>();
            VmInfo byUuid = null;
            for (Map.Entry<VM, VM.Record> e : VM.getAllRecords(c).entrySet()) {
                VM.Record r = e.getValue();
                if (Boolean.TRUE.equals(r.isATemplate) || Boolean.TRUE.equals(r.isControlDomain)) {
                    continue;
                }
                VmInfo info = info(c, r);
                if (UUID.matcher(vm).matches() && r.uuid.equalsIgnoreCase(vm)) {
                    byUuid = info;
                } else if (vm.equals(r.nameLabel)) {
                    byName.add(info);
                }
            }
            if (byUuid != null) {
                return Optional.of(byUuid);
            }
            if (byName.size() > 1) {
                throw new StorageException(StorageException.Reason.CONFLICT, "vm", byName.size() + " VMs are named '" + vm
                        + "' in this pool: give the VM's uuid", null);
            }
            return byName.stream().findFirst();
        });
    }

    /** The VM by its uuid, as an attachment recorded it; NOT_FOUND when it is gone. */
    VM vm(String uuid) {
        return xen.call("VM.get_by_uuid", c -> {
            try {
                return VM.getByUuid(c, uuid);
            } catch (Types.UuidInvalid e) {
                throw new StorageException(StorageException.Reason.NOT_FOUND, "vm", "VM " + uuid + " is not in the pool", null);
            }
        });
    }

    VmInfo info(VM vm) {
        return xen.call("VM.get_record", c -> info(c, vm.getRecord(c)));
    }

    private static VmInfo info(com.xensource.xenapi.Connection c, VM.Record r) throws Exception {
        boolean running = r.powerState == Types.VmPowerState.RUNNING;
        String host = null;
        if (running && r.residentOn != null && !r.residentOn.toWireString().equals("OpaqueRef:NULL")) {
            host = r.residentOn.getNameLabel(c);
        }
        return new VmInfo(r.uuid, r.nameLabel, host, running);
    }
}
