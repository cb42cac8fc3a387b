package org.spindle.xen.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM's disk request, served for real: the VBD's VDI is reached through the PBD of the host the VM runs on, and the
 * bytes go over iSCSI to the LUN with QEMU's initiator ({@code qemu-io}, libiscsi) as that host's IQN with the
 * PBD's CHAP. Only what the target really transferred ({@code wrote N/N bytes}) is counted in the VM's RRD. The VDI
 * is taken to start right after the SR's metadata, which is exact for an SR holding one VDI (a Spindle volume's).
 */
final class GuestIo {
    private static final Pattern DONE = Pattern.compile("(?:wrote|read) (\\d+)/(\\d+) bytes");

    private final XenModel model;
    private final Lvmoiscsi sm;
    private final Secrets secrets;
    private final Rrds rrds;

    GuestIo(XenModel model, Lvmoiscsi sm, Rrds rrds) {
        this.model = model;
        this.sm = sm;
        this.secrets = new Secrets(model);
        this.rrds = rrds;
    }

    /** One request of {@code length} bytes at {@code offset} of the VM's plugged disk {@code device} ({@code xvdb}…). */
    long request(XObject vm, String device, boolean write, long offset, int length) {
        if (!VmCalls.RUNNING.equals(vm.str("power_state"))) {
            throw new IllegalStateException("VM " + vm.str("name_label") + " is not running");
        }
        List<XObject> vbds = model.all("VBD", b -> b.str("VM").equals(vm.ref) && b.bool("currently_attached")
                && device.equals(b.str("device")));
        if (vbds.size() != 1) {
            throw new IllegalStateException("VM " + vm.str("name_label") + " has no plugged disk " + device);
        }
        XObject vdi = model.get("VDI", vbds.get(0).str("VDI"));
        if (offset < 0 || length <= 0 || offset + length > vdi.num("virtual_size")) {
            throw new IllegalArgumentException("request beyond the disk's " + vdi.num("virtual_size") + " bytes");
        }
        String host = vm.str("resident_on");
        List<XObject> pbds = model.all("PBD", p -> p.str("SR").equals(vdi.str("SR")) && p.str("host").equals(host)
                && p.bool("currently_attached"));
        if (pbds.isEmpty()) {
            throw new IllegalStateException("the disk's SR is not plugged on the VM's host");
        }
        Map<String, String> dc = pbds.get(0).map("device_config");
        String initiator = model.get("host", host).map("other_config").get("iscsi_iqn");
        Lvmoiscsi.Attached at = sm.attach(dc, initiator, secrets.values());
        String password = dc.containsKey("chappassword") ? dc.get("chappassword") : secrets.values().get(dc.get("chappassword_secret"));
        long done = qemuIo(dc, at.lun().lun(), initiator, password, (write ? "write -P 0x5a " : "read ")
                + (Lvmoiscsi.METADATA + offset) + " " + length);
        rrds.count(vm.uuid(), device, write, done);
        return done;
    }

    private static long qemuIo(Map<String, String> dc, int lun, String initiator, String password, String command) {
        Path secret = null;
        try {
            List<String> cmd = new ArrayList<>(List.of("qemu-io", "--image-opts"));
            String auth = "";
            if (dc.get("chapuser") != null) {
                secret = Files.createTempFile("xensim-chap", ".txt", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(secret, password);
                cmd.addAll(List.of("--object", "secret,id=chap,file=" + secret));
                auth = ",user=" + dc.get("chapuser") + ",password-secret=chap";
            }
            cmd.addAll(List.of("-c", command, "driver=iscsi,transport=tcp,portal=" + dc.get("target") + ":" + dc.getOrDefault("port", "3260")
                    + ",target=" + dc.get("targetIQN") + ",lun=" + lun + ",initiator-name=" + initiator + auth));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("qemu-io timed out");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = DONE.matcher(out);
            if (p.exitValue() != 0 || !m.find()) {
                throw new IllegalStateException("the request failed: " + out.trim());
            }
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("qemu-io cannot run (install qemu-utils and qemu-block-extra): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (secret != null) {
                try {
                    Files.deleteIfExists(secret);
                } catch (IOException ignored) {
                    // a temporary file of 0600
                }
            }
        }
    }
}
