package org.spindle.xen.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * VM and VBD: devices, plug and unplug only on a running VM ({@code VM_BAD_POWER_STATE}), a VBD's VDI reachable
 * from the VM's host ({@code VM_REQUIRES_SR} when its SR has no plugged PBD there), no destroy of an attached VBD,
 * migration within the pool and the power operations that move VBDs between attached and not.
 */
final class VmCalls {
    static final String RUNNING = "Running";
    static final String HALTED = "Halted";
    private static final Set<String> MODES = Set.of("RO", "RW");
    private static final Set<String> TYPES = Set.of("CD", "Disk", "Floppy");
    private static final int DEVICES = 16;

    private final XenModel model;
    private final Rrds rrds;

    VmCalls(XenModel model, Rrds rrds) {
        this.model = model;
        this.rrds = rrds;
    }

    void register(Dispatcher d) {
        d.add("VM.get_allowed_VBD_devices", "session,ref:VM", a -> allowedDevices(a.ref(1)));
        d.add("VM.pool_migrate", "session,ref:VM,ref:host,options=map", a -> migrate(a.ref(1), a.ref(2)));
        d.add("VM.start_on", "session,ref:VM,ref:host,start_paused=bool,force=bool", a -> start(a.ref(1), a.ref(2)));
        d.add("VM.hard_shutdown", "session,ref:VM", a -> shutdown(a.ref(1)));
        d.add("VBD.create", "session,args=struct", this::create);
        d.add("VBD.plug", "session,ref:VBD", a -> plug(a.ref(1)));
        d.add("VBD.unplug", "session,ref:VBD", a -> unplug(a.ref(1)));
        d.add("VBD.destroy", "session,ref:VBD", this::destroy);
    }

    private List<String> allowedDevices(XObject vm) {
        List<String> used = new ArrayList<>();
        model.all("VBD", b -> b.str("VM").equals(vm.ref)).forEach(b -> used.add(b.str("userdevice")));
        List<String> free = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            if (!used.contains(Integer.toString(i))) {
                free.add(Integer.toString(i));
            }
        }
        return free;
    }

    private Object create(Args a) {
        Map<String, Object> r = a.struct(1);
        XObject vm = model.get("VM", text(r, "VM"));
        String vdiRef = text(r, "VDI");
        boolean empty = Boolean.TRUE.equals(r.get("empty"));
        if (!empty || !XenModel.NULL_REF.equals(vdiRef)) {
            model.get("VDI", vdiRef);
        }
        String mode = text(r, "mode");
        String type = text(r, "type");
        if (!MODES.contains(mode)) {
            throw new XapiError("FIELD_TYPE_ERROR", "mode");
        }
        if (!TYPES.contains(type)) {
            throw new XapiError("FIELD_TYPE_ERROR", "type");
        }
        String device = text(r, "userdevice");
        List<String> free = allowedDevices(vm);
        if ("autodetect".equals(device)) {
            if (free.isEmpty()) {
                throw new XapiError("OPERATION_NOT_ALLOWED", "no free device");
            }
            device = free.get(0);
        } else if (!device.matches("\\d{1,2}") || Integer.parseInt(device) >= DEVICES) {
            throw new XapiError("INVALID_DEVICE", device);
        } else if (!free.contains(device)) {
            throw new XapiError("DEVICE_ALREADY_EXISTS", device);
        }
        XObject vbd = model.create("VBD");
        vbd.fields.put("allowed_operations", List.of());
        vbd.fields.put("current_operations", new LinkedHashMap<String, String>());
        vbd.fields.put("VM", vm.ref);
        vbd.fields.put("VDI", vdiRef);
        vbd.fields.put("device", "");
        vbd.fields.put("userdevice", device);
        vbd.fields.put("bootable", Boolean.TRUE.equals(r.get("bootable")));
        vbd.fields.put("mode", mode);
        vbd.fields.put("type", type);
        vbd.fields.put("unpluggable", !Boolean.FALSE.equals(r.get("unpluggable")));
        vbd.fields.put("storage_lock", false);
        vbd.fields.put("empty", empty);
        vbd.fields.put("other_config", strings(r.get("other_config")));
        vbd.fields.put("currently_attached", false);
        vbd.fields.put("status_code", 0L);
        vbd.fields.put("status_detail", "");
        vbd.fields.put("runtime_properties", new LinkedHashMap<String, String>());
        vbd.fields.put("qos_algorithm_type", r.getOrDefault("qos_algorithm_type", "").toString());
        vbd.fields.put("qos_algorithm_params", strings(r.get("qos_algorithm_params")));
        vbd.fields.put("qos_supported_algorithms", List.of("ionice"));
        vbd.fields.put("metrics", XenModel.NULL_REF);
        return vbd.ref;
    }

    Object plug(XObject vbd) {
        XObject vm = model.get("VM", vbd.str("VM"));
        if (!RUNNING.equals(vm.str("power_state"))) {
            throw new XapiError("VM_BAD_POWER_STATE", vm.ref, "running", vm.str("power_state").toLowerCase());
        }
        if (vbd.bool("currently_attached")) {
            throw new XapiError("DEVICE_ALREADY_ATTACHED", vbd.ref);
        }
        reachable(vbd, vm.str("resident_on"), vm);
        vbd.fields.put("currently_attached", true);
        vbd.fields.put("device", "xvd" + (char) ('a' + Integer.parseInt(vbd.str("userdevice"))));
        return "";
    }

    /** The VBD's VDI lives in an SR with a plugged PBD on {@code host}; VM_REQUIRES_SR otherwise. */
    private void reachable(XObject vbd, String host, XObject vm) {
        if (vbd.bool("empty")) {
            return;
        }
        XObject vdi = model.get("VDI", vbd.str("VDI"));
        String sr = vdi.str("SR");
        boolean ok = !model.all("PBD", p -> p.str("SR").equals(sr) && p.str("host").equals(host) && p.bool("currently_attached"))
                .isEmpty();
        if (!ok) {
            throw new XapiError("VM_REQUIRES_SR", vm.ref, sr);
        }
    }

    private Object unplug(XObject vbd) {
        XObject vm = model.get("VM", vbd.str("VM"));
        if (!RUNNING.equals(vm.str("power_state"))) {
            throw new XapiError("VM_BAD_POWER_STATE", vm.ref, "running", vm.str("power_state").toLowerCase());
        }
        if (!vbd.bool("currently_attached")) {
            throw new XapiError("DEVICE_ALREADY_DETACHED", vbd.ref);
        }
        vbd.fields.put("currently_attached", false);
        return "";
    }

    private Object destroy(Args a) {
        XObject vbd = a.ref(1);
        if (vbd.bool("currently_attached")) {
            throw new XapiError("DEVICE_ALREADY_ATTACHED", vbd.ref);
        }
        model.remove(vbd);
        return "";
    }

    /** Live migration to another host of the pool: every attached VBD must be reachable there. */
    Object migrate(XObject vm, XObject host) {
        if (!RUNNING.equals(vm.str("power_state"))) {
            throw new XapiError("VM_BAD_POWER_STATE", vm.ref, "running", vm.str("power_state").toLowerCase());
        }
        for (XObject vbd : model.all("VBD", b -> b.str("VM").equals(vm.ref) && b.bool("currently_attached"))) {
            reachable(vbd, host.ref, vm);
        }
        vm.fields.put("resident_on", host.ref);
        return "";
    }

    Object start(XObject vm, XObject host) {
        if (!HALTED.equals(vm.str("power_state"))) {
            throw new XapiError("VM_BAD_POWER_STATE", vm.ref, "halted", vm.str("power_state").toLowerCase());
        }
        List<XObject> vbds = model.all("VBD", b -> b.str("VM").equals(vm.ref));
        for (XObject vbd : vbds) {
            reachable(vbd, host.ref, vm);
        }
        vm.fields.put("power_state", RUNNING);
        vm.fields.put("resident_on", host.ref);
        rrds.running(vm.uuid(), true);
        for (XObject vbd : vbds) {
            vbd.fields.put("currently_attached", true);
            vbd.fields.put("device", "xvd" + (char) ('a' + Integer.parseInt(vbd.str("userdevice"))));
        }
        return "";
    }

    Object shutdown(XObject vm) {
        if (!RUNNING.equals(vm.str("power_state"))) {
            throw new XapiError("VM_BAD_POWER_STATE", vm.ref, "running", vm.str("power_state").toLowerCase());
        }
        vm.fields.put("power_state", HALTED);
        vm.fields.put("resident_on", XenModel.NULL_REF);
        rrds.running(vm.uuid(), false);
        model.all("VBD", b -> b.str("VM").equals(vm.ref)).forEach(b -> b.fields.put("currently_attached", false));
        return "";
    }

    private static String text(Map<String, Object> r, String field) {
        if (!(r.get(field) instanceof String s)) {
            throw new XapiError("FIELD_TYPE_ERROR", field);
        }
        return s;
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        } else if (o != null) {
            throw new XapiError("FIELD_TYPE_ERROR", "map");
        }
        return out;
    }
}
