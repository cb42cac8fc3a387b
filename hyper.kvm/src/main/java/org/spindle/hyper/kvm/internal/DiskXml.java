package org.spindle.hyper.kvm.internal;

import java.util.UUID;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;

/** The libvirt XML this service writes: disks, the CHAP secret, the SCSI controller, pool volumes. */
final class DiskXml {
    private DiskXml() {
    }

    /** The alias of the disk of {@code volumeId}: user aliases ({@code ua-}) are kept in the config and become the qdev id. */
    static String alias(UUID volumeId) {
        return "ua-spindle-" + volumeId;
    }

    /** An iSCSI network disk that QEMU logs into itself (libiscsi), with CHAP through a libvirt secret. */
    static String iscsiDisk(String targetIqn, int lun, Portal portal, String initiatorIqn, Chap chap,
                            String secretUsage, String dev, String bus, String alias, IoTune iotune) {
        // libvirt's <host name> takes the bare address, IPv6 included (no brackets)
        StringBuilder b = new StringBuilder()
                .append("<disk type='network' device='disk'>")
                .append("<driver name='qemu' type='raw' cache='none'/>")
                .append("<source protocol='iscsi' name='").append(esc(targetIqn + "/" + lun)).append("'>")
                .append("<host name='").append(esc(portal.host())).append("' port='").append(portal.port()).append("'/>")
                .append("<initiator><iqn name='").append(esc(initiatorIqn)).append("'/></initiator>");
        if (chap != null) {
            b.append("<auth username='").append(esc(chap.username())).append("'>")
                    .append("<secret type='iscsi' usage='").append(esc(secretUsage)).append("'/>")
                    .append("</auth>");
        }
        b.append("</source>");
        return tail(b, dev, bus, alias, iotune);
    }

    /** A disk made from a volume of a libvirt storage pool (static pools). */
    static String volumeDisk(String pool, String volume, String dev, String bus, String alias, IoTune iotune) {
        StringBuilder b = new StringBuilder()
                .append("<disk type='volume' device='disk'>")
                .append("<driver name='qemu' type='raw'/>")
                .append("<source pool='").append(esc(pool)).append("' volume='").append(esc(volume)).append("'/>");
        return tail(b, dev, bus, alias, iotune);
    }

    private static String tail(StringBuilder b, String dev, String bus, String alias, IoTune iotune) {
        return b.append("<target dev='").append(esc(dev)).append("' bus='").append(esc(bus)).append("'/>")
                .append(iotune.xml())
                .append("<alias name='").append(esc(alias)).append("'/>")
                .append("</disk>").toString();
    }

    /** A private, persistent secret of usage type iscsi; its value is set separately. */
    static String secret(UUID uuid, String usage, String description) {
        return "<secret ephemeral='no' private='yes'>"
                + "<uuid>" + uuid + "</uuid>"
                + "<description>" + esc(description) + "</description>"
                + "<usage type='iscsi'><target>" + esc(usage) + "</target></usage>"
                + "</secret>";
    }

    /** A virtio-scsi controller (its detach is synchronous, unlike virtio-blk's without a guest). */
    static String virtioScsiController(int index) {
        return "<controller type='scsi' index='" + index + "' model='virtio-scsi'/>";
    }

    /** A raw volume of {@code sizeBytes} in a storage pool. */
    static String rawVolume(String name, long sizeBytes) {
        return "<volume><name>" + esc(name) + "</name>"
                + "<capacity unit='bytes'>" + sizeBytes + "</capacity>"
                + "<allocation unit='bytes'>0</allocation>"
                + "<target><format type='raw'/></target></volume>";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
