package org.spindle.xen.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SR, PBD and VDI, with the checks xapi and SM make: a PBD per host and SR ({@code PBD_EXISTS}), no destroy of a
 * plugged PBD, no unplug under an attached VBD ({@code VDI_IN_USE}), no forget of an SR that has PBDs
 * ({@code SR_HAS_PBD}), VDIs only in an SR plugged somewhere, sized in LVM extents within the free space.
 * Passwords in a {@code device_config} are kept as {@link Secrets}.
 */
final class StorageCalls {
    private final XenModel model;
    private final Lvmoiscsi sm;
    private final Secrets secrets;

    StorageCalls(XenModel model, Lvmoiscsi sm) {
        this.model = model;
        this.sm = sm;
        this.secrets = new Secrets(model);
    }

    void register(Dispatcher d) {
        d.add("SR.create", "session,ref:host,device_config=map,physical_size=int,name_label=string,name_description=string,"
                + "type=string,content_type=string,shared=bool,sm_config=map", this::create);
        d.add("SR.probe", "session,ref:host,device_config=map,type=string,sm_config=map", this::probe);
        d.add("SR.introduce", "session,uuid=string,name_label=string,name_description=string,type=string,content_type=string,"
                + "shared=bool,sm_config=map", this::introduce);
        d.add("SR.forget", "session,ref:SR", this::forget);
        d.add("SR.scan", "session,ref:SR", this::scan);
        d.add("PBD.create", "session,args=struct", this::pbdCreate);
        d.add("PBD.plug", "session,ref:PBD", a -> plug(a.ref(1)));
        d.add("PBD.unplug", "session,ref:PBD", a -> unplug(a.ref(1)));
        d.add("PBD.destroy", "session,ref:PBD", this::pbdDestroy);
        d.add("VDI.create", "session,args=struct", this::vdiCreate);
        d.add("VDI.destroy", "session,ref:VDI", a -> removeVdi(a.ref(1), "destroy", true));
        d.add("VDI.forget", "session,ref:VDI", a -> removeVdi(a.ref(1), "forget", false));
        d.add("VDI.resize", "session,ref:VDI,size=int", this::vdiResize);
    }

    private String iqn(XObject host) {
        return host.map("other_config").get("iscsi_iqn");
    }

    private Object create(Args a) {
        XObject host = a.ref(1);
        String type = a.str(6);
        if (!"lvmoiscsi".equals(type)) {
            throw new XapiError("SR_UNKNOWN_DRIVER", type);
        }
        Map<String, String> dc = a.map(2);
        Lvmoiscsi.Attached at = sm.attach(dc, iqn(host), secrets.values());
        for (XObject pbd : model.all("PBD")) {
            if (at.lun().scsiId().equals(pbd.map("device_config").get("SCSIid")) && pbd.bool("currently_attached")) {
                throw XapiError.backend(80, "SRInUse", "The LUN " + at.lun().scsiId() + " is in use by SR "
                        + model.get("SR", pbd.str("SR")).uuid());
            }
        }
        XObject sr = newSr(java.util.UUID.randomUUID().toString(), a.str(4), a.str(5), type, a.str(7), a.bool(8), a.map(9));
        List<XObject> hosts = a.bool(8) ? model.all("host") : List.of(host);
        List<XObject> made = new ArrayList<>();
        try {
            for (XObject h : hosts) {
                XObject pbd = newPbd(h, sr, dc);
                made.add(pbd);
                plug(pbd);
            }
        } catch (XapiError e) {
            for (XObject pbd : made) {
                secrets.drop(pbd.map("device_config"));
                model.remove(pbd);
            }
            model.remove(sr);
            throw e;
        }
        sm.format(at.lun(), sr.uuid());
        sr.fields.put("physical_size", Lvmoiscsi.usable(at.lun().sizeBytes()));
        return sr.ref;
    }

    private XObject newSr(String uuid, String label, String description, String type, String content, boolean shared,
                          Map<String, String> smConfig) {
        XObject sr = model.create("SR");
        sr.fields.put("uuid", uuid);
        sr.fields.put("name_label", label);
        sr.fields.put("name_description", description);
        sr.fields.put("allowed_operations", List.of());
        sr.fields.put("current_operations", new LinkedHashMap<String, String>());
        sr.fields.put("virtual_allocation", 0L);
        sr.fields.put("physical_utilisation", 0L);
        sr.fields.put("physical_size", 0L);
        sr.fields.put("type", type);
        sr.fields.put("content_type", content);
        sr.fields.put("shared", shared);
        sr.fields.put("other_config", new LinkedHashMap<String, String>());
        sr.fields.put("tags", List.of());
        sr.fields.put("sm_config", smConfig);
        sr.fields.put("blobs", new LinkedHashMap<String, String>());
        sr.fields.put("local_cache_enabled", false);
        sr.fields.put("introduced_by", XenModel.NULL_REF);
        sr.fields.put("clustered", false);
        sr.fields.put("is_tools_sr", false);
        return sr;
    }

    private XObject newPbd(XObject host, XObject sr, Map<String, String> dc) {
        for (XObject p : model.all("PBD", p -> p.str("SR").equals(sr.ref) && p.str("host").equals(host.ref))) {
            throw new XapiError("PBD_EXISTS", sr.ref, host.ref, p.ref);
        }
        XObject pbd = model.create("PBD");
        pbd.fields.put("host", host.ref);
        pbd.fields.put("SR", sr.ref);
        pbd.fields.put("device_config", secrets.hide(dc));
        pbd.fields.put("currently_attached", false);
        pbd.fields.put("other_config", new LinkedHashMap<String, String>());
        return pbd;
    }

    private Object probe(Args a) {
        if (!"lvmoiscsi".equals(a.str(3))) {
            throw new XapiError("SR_UNKNOWN_DRIVER", a.str(3));
        }
        Lvmoiscsi.Attached at = sm.attach(a.map(2), iqn(a.ref(1)), secrets.values());
        return Lvmoiscsi.probeXml(at.disk());
    }

    private Object introduce(Args a) {
        if (!model.all("SR", s -> a.str(1).equals(s.uuid())).isEmpty()) {
            throw new XapiError("SR_UUID_EXISTS", a.str(1));
        }
        return newSr(a.str(1), a.str(2), a.str(3), a.str(4), a.str(5), a.bool(6), a.map(7)).ref;
    }

    private Object forget(Args a) {
        XObject sr = a.ref(1);
        if (!model.refs("PBD", "SR", sr.ref).isEmpty()) {
            throw new XapiError("SR_HAS_PBD", sr.ref);
        }
        for (XObject vdi : model.all("VDI", v -> v.str("SR").equals(sr.ref))) {
            if (!model.refs("VBD", "VDI", vdi.ref).isEmpty()) {
                throw new XapiError("VDI_IN_USE", vdi.ref, "forget");
            }
        }
        model.all("VDI", v -> v.str("SR").equals(sr.ref)).forEach(model::remove);
        model.remove(sr);
        return "";
    }

    /** The LUN's on-disk state, through an attached PBD of the SR; SR_HAS_NO_PBDS / SR_NOT_ATTACHED otherwise. */
    private Lvmoiscsi.OnDisk disk(XObject sr) {
        List<XObject> pbds = model.all("PBD", p -> p.str("SR").equals(sr.ref));
        if (pbds.isEmpty()) {
            throw new XapiError("SR_HAS_NO_PBDS", sr.ref);
        }
        for (XObject p : pbds) {
            if (p.bool("currently_attached")) {
                Lvmoiscsi.OnDisk d = sm.onDisk(p.map("device_config").get("SCSIid"));
                if (d == null || !d.srUuid.equals(sr.uuid())) {
                    throw XapiError.backend(47, "SRUnavailable", "The SR is not available: no LVM SR " + sr.uuid() + " on the LUN");
                }
                return d;
            }
        }
        throw new XapiError("SR_NOT_ATTACHED", sr.ref);
    }

    /**
     * Re-reads the LUN through an attached PBD: a LUN the SAN grew makes the SR larger (the PV is resized), and the
     * VDIs the LUN holds that are not in the database come back with their uuid, name and size.
     */
    private Object scan(Args a) {
        XObject sr = a.ref(1);
        Lvmoiscsi.OnDisk d = disk(sr);
        XObject pbd = model.all("PBD", p -> p.str("SR").equals(sr.ref) && p.bool("currently_attached")).get(0);
        Lvmoiscsi.Attached at = sm.attach(pbd.map("device_config"), iqn(model.get("host", pbd.str("host"))), secrets.values());
        sr.fields.put("physical_size", Math.max(sr.num("physical_size"), Lvmoiscsi.usable(at.lun().sizeBytes())));
        for (Map<String, Object> meta : d.vdis.values()) {
            String uuid = (String) meta.get("uuid");
            if (model.all("VDI", v -> uuid.equals(v.uuid())).isEmpty()) {
                XObject vdi = newVdi(sr, meta);
                vdi.fields.put("uuid", uuid);
            }
        }
        account(sr, d);
        return "";
    }

    private void account(XObject sr, Lvmoiscsi.OnDisk d) {
        long used = 0;
        long virt = 0;
        for (Map<String, Object> m : d.vdis.values()) {
            used += Lvmoiscsi.allocation((Long) m.get("virtual_size"));
            virt += (Long) m.get("virtual_size");
        }
        sr.fields.put("physical_utilisation", used);
        sr.fields.put("virtual_allocation", virt);
    }

    private Object pbdCreate(Args a) {
        Map<String, Object> r = a.struct(1);
        XObject host = model.get("host", str(r, "host"));
        XObject sr = model.get("SR", str(r, "SR"));
        if (!(r.get("device_config") instanceof Map<?, ?> dc)) {
            throw new XapiError("FIELD_TYPE_ERROR", "device_config");
        }
        Map<String, String> config = new LinkedHashMap<>();
        dc.forEach((k, v) -> config.put(String.valueOf(k), String.valueOf(v)));
        return newPbd(host, sr, config).ref;
    }

    /** Plugs: the host logs in to the LUN named by SCSIid. Plugging a plugged PBD does nothing, as in xapi. */
    Object plug(XObject pbd) {
        if (pbd.bool("currently_attached")) {
            return "";
        }
        XObject host = model.get("host", pbd.str("host"));
        XObject sr = model.get("SR", pbd.str("SR"));
        Lvmoiscsi.Attached at = sm.attach(pbd.map("device_config"), iqn(host), secrets.values());
        if (at.disk() != null && !at.disk().srUuid.equals(sr.uuid())) {
            throw XapiError.backend(47, "SRUnavailable", "The LUN holds SR " + at.disk().srUuid + ", not " + sr.uuid());
        }
        pbd.fields.put("currently_attached", true);
        if (sr.num("physical_size") == 0) {
            sr.fields.put("physical_size", Lvmoiscsi.usable(at.lun().sizeBytes()));
        }
        return "";
    }

    private Object unplug(XObject pbd) {
        if (!pbd.bool("currently_attached")) {
            return "";
        }
        List<String> inUse = new ArrayList<>();
        for (XObject vm : model.all("VM", v -> v.str("resident_on").equals(pbd.str("host")))) {
            for (XObject vbd : model.all("VBD", b -> b.str("VM").equals(vm.ref) && b.bool("currently_attached"))) {
                model.find(vbd.str("VDI")).filter(v -> v.str("SR").equals(pbd.str("SR"))).ifPresent(v -> inUse.add(v.ref));
            }
        }
        if (!inUse.isEmpty()) {
            throw new XapiError("VDI_IN_USE", inUse.toArray(String[]::new));
        }
        pbd.fields.put("currently_attached", false);
        return "";
    }

    private Object pbdDestroy(Args a) {
        XObject pbd = a.ref(1);
        if (pbd.bool("currently_attached")) {
            throw XapiError.notAllowed("PBD is currently attached");
        }
        secrets.drop(pbd.map("device_config"));
        model.remove(pbd);
        return "";
    }

    private Object vdiCreate(Args a) {
        Map<String, Object> r = a.struct(1);
        XObject sr = model.get("SR", str(r, "SR"));
        long size = num(r, "virtual_size");
        if (size <= 0) {
            throw XapiError.backend(79, "VDISize", "The VDI size must be positive");
        }
        Lvmoiscsi.OnDisk d = disk(sr);
        long free = sr.num("physical_size") - sr.num("physical_utilisation");
        if (Lvmoiscsi.allocation(size) > free) {
            throw XapiError.backend(44, "There is insufficient space", "asked " + Lvmoiscsi.allocation(size) + " bytes, free " + free);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("uuid", java.util.UUID.randomUUID().toString());
        meta.put("name_label", str(r, "name_label"));
        meta.put("name_description", r.getOrDefault("name_description", "").toString());
        meta.put("virtual_size", size);
        meta.put("type", r.getOrDefault("type", "user").toString());
        XObject vdi = newVdi(sr, meta);
        vdi.fields.put("uuid", meta.get("uuid"));
        if (r.get("other_config") instanceof Map<?, ?> oc) {
            oc.forEach((k, v) -> vdi.map("other_config").put(String.valueOf(k), String.valueOf(v)));
        }
        d.vdis.put((String) meta.get("uuid"), meta);
        account(sr, d);
        return vdi.ref;
    }

    private XObject newVdi(XObject sr, Map<String, Object> meta) {
        XObject vdi = model.create("VDI");
        vdi.fields.put("name_label", meta.get("name_label"));
        vdi.fields.put("name_description", meta.get("name_description"));
        vdi.fields.put("allowed_operations", List.of());
        vdi.fields.put("current_operations", new LinkedHashMap<String, String>());
        vdi.fields.put("SR", sr.ref);
        vdi.fields.put("crash_dumps", List.of());
        vdi.fields.put("virtual_size", meta.get("virtual_size"));
        vdi.fields.put("physical_utilisation", Lvmoiscsi.allocation((Long) meta.get("virtual_size")));
        vdi.fields.put("type", meta.get("type"));
        vdi.fields.put("sharable", false);
        vdi.fields.put("read_only", false);
        vdi.fields.put("other_config", new LinkedHashMap<String, String>());
        vdi.fields.put("storage_lock", false);
        vdi.fields.put("location", meta.get("uuid"));
        vdi.fields.put("managed", true);
        vdi.fields.put("missing", false);
        vdi.fields.put("parent", XenModel.NULL_REF);
        vdi.fields.put("xenstore_data", new LinkedHashMap<String, String>());
        vdi.fields.put("sm_config", new LinkedHashMap<String, String>());
        vdi.fields.put("is_a_snapshot", false);
        vdi.fields.put("snapshot_of", XenModel.NULL_REF);
        vdi.fields.put("snapshots", List.of());
        vdi.fields.put("tags", List.of());
        return vdi;
    }

    private Object removeVdi(XObject vdi, String op, boolean fromDisk) {
        if (!model.refs("VBD", "VDI", vdi.ref).isEmpty()) {
            throw new XapiError("VDI_IN_USE", vdi.ref, op);
        }
        XObject sr = model.get("SR", vdi.str("SR"));
        if (fromDisk) {
            Lvmoiscsi.OnDisk d = disk(sr);
            d.vdis.remove(vdi.uuid());
            model.remove(vdi);
            account(sr, d);
        } else {
            model.remove(vdi);
        }
        return "";
    }

    private Object vdiResize(Args a) {
        XObject vdi = a.ref(1);
        long size = a.num(2);
        long old = vdi.num("virtual_size");
        if (size < old) {
            throw XapiError.backend(79, "VDISize", "Shrinking is not supported");
        }
        XObject sr = model.get("SR", vdi.str("SR"));
        Lvmoiscsi.OnDisk d = disk(sr);
        long free = sr.num("physical_size") - sr.num("physical_utilisation");
        if (Lvmoiscsi.allocation(size) - Lvmoiscsi.allocation(old) > free) {
            throw XapiError.backend(44, "There is insufficient space", "");
        }
        vdi.fields.put("virtual_size", size);
        vdi.fields.put("physical_utilisation", Lvmoiscsi.allocation(size));
        Map<String, Object> meta = d.vdis.get(vdi.uuid());
        if (meta != null) {
            meta.put("virtual_size", size);
        }
        account(sr, d);
        return "";
    }

    private static String str(Map<String, Object> r, String field) {
        if (!(r.get(field) instanceof String s)) {
            throw new XapiError("FIELD_TYPE_ERROR", field);
        }
        return s;
    }

    private static long num(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof String s && s.matches("-?\\d{1,19}")) {
            return Long.parseLong(s);
        }
        throw new XapiError("FIELD_TYPE_ERROR", field);
    }
}
