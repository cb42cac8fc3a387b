package org.spindle.hyper.xen.internal;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.Attachment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import com.xensource.xenapi.Types;
import com.xensource.xenapi.VBD;
import com.xensource.xenapi.VM;

/**
 * A disk's cumulative I/O counters from XenServer's RRD feed. XenServer keeps no cumulative VBD counter in its API: the
 * VM's RRD (on the host the VM runs on) holds rates per step, {@code vbd_<dev>_read}/{@code _write} in bytes/s and
 * {@code vbd_<dev>_iops_read}/{@code _iops_write} in requests/s. This integrates them: each row of
 * {@code GET /rrd_updates?start=<last counted>&cf=AVERAGE&interval=5} adds rate × step. Rules:
 * <ul>
 * <li>counting starts at the attach ({@code other_config:spindle-since}, the pool's time when the VBD was made), so
 * a restart of Spindle integrates the same history again and the counters do not reset while the RRD still holds it
 * (xapi keeps 5 s steps for 10 minutes, 1 minute for 2 hours, 1 hour for a week, 1 day for a year);</li>
 * <li>the feed answers from one archive, the finest reaching back to {@code start}: older history comes in coarse rows,
 * and the request is repeated from the newest row until 5-second rows come back (at most 4 rounds);</li>
 * <li>a row counts once: only rows after the last counted instant; a row whose step began before the last counted row
 * (a coarse row, after more than 10 minutes without a read) is skipped, so nothing is counted twice, and what it held
 * after that instant is lost (at most one coarse step); the first row after the attach counts whole (its step may hold
 * a moment before the attach);</li>
 * <li>{@code NaN} (no sample: the VM was not running, or rrdd was away) is a gap: what happened in it is not counted;
 * a coarse row whose steps were partly unknown (at most half, rrdd's xff) is rrdd's average of the known ones, so it
 * extrapolates over the gap;</li>
 * <li>values come with five significant digits ({@code %0.5g}), so totals are exact to about 1 in 10,000 per row;
 * operations are rounded to whole requests at the end.</li>
 * </ul>
 * The integration state is this service's memory, per VBD; it is rebuilt from the feed after a restart.
 */
final class RrdStats {
    private static final Logger LOG = LoggerFactory.getLogger(RrdStats.class);
    static final String SINCE = "spindle-since";
    private static final int ROUNDS = 4;

    /** What was counted of one VBD up to {@code last} (epoch seconds of the pool). */
    static final class Totals {
        long last;
        /** Whether {@code last} is a row already counted (then a later row overlapping it counts pro rata). */
        boolean counted;
        final double[] sums = new double[4];

        Totals(long last) {
            this.last = last;
        }
    }

    private record Where(String vbdUuid, String device, String vmUuid, String hostAddress, long since) {
    }

    private final XenClient xen;
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    RrdStats(XenClient xen) {
        this.xen = xen;
    }

    IoStats read(Attachment attachment) {
        Where w = xen.call("VBD.get_record", c -> {
            VBD vbd = DiskReadBack.vbd(c, attachment);
            VBD.Record b = vbd.getRecord(c);
            VM.Record vm = b.VM.getRecord(c);
            String host = vm.powerState == Types.VmPowerState.RUNNING && vm.residentOn != null ? vm.residentOn.getAddress(c) : null;
            String since = b.otherConfig == null ? null : b.otherConfig.get(SINCE);
            return new Where(b.uuid, b.device, vm.uuid, host, since != null && since.matches("\\d{1,12}") ? Long.parseLong(since) : -1);
        });
        Totals t = totals.get(w.vbdUuid());
        if (w.hostAddress() == null) {
            return t == null ? new IoStats(0, 0, 0, 0, Instant.ofEpochSecond(Math.max(0, w.since()))) : stats(t);
        }
        if (t == null) {
            t = new Totals(w.since());
            totals.put(w.vbdUuid(), t);
        }
        synchronized (t) {
            for (int round = 0; round < ROUNDS; round++) {
                long start = t.last < 0 ? -5 : t.last;
                String body = xen.get("rrd_updates", w.hostAddress(), "/rrd_updates?start=" + start + "&cf=AVERAGE&interval=5");
                long step = integrate(body, "AVERAGE:vm:" + w.vmUuid() + ":vbd_" + w.device() + "_", t);
                if (step <= 5) {
                    break;
                }
            }
            return stats(t);
        }
    }

    /** Nothing counted yet, counting from {@code since} (epoch seconds). */
    static Totals totals(long since) {
        return new Totals(since);
    }

    /** Forgets a VBD that is gone (detach). */
    void forget(String vbdUuid) {
        totals.remove(vbdUuid);
    }

    private static IoStats stats(Totals t) {
        return new IoStats(Math.round(t.sums[2]), Math.round(t.sums[3]), Math.round(t.sums[0]), Math.round(t.sums[1]),
                Instant.ofEpochSecond(Math.max(0, t.last)));
    }

    /** Adds the rows after {@code t.last} to the sums; returns the feed's step. Without a start yet, only sets it. */
    static long integrate(String xml, String prefix, Totals t) {
        Element root = parse(xml).getDocumentElement();
        long step = number(root, "step");
        List<String> legend = new ArrayList<>();
        NodeList entries = root.getElementsByTagName("entry");
        for (int i = 0; i < entries.getLength(); i++) {
            legend.add(entries.item(i).getTextContent().trim());
        }
        int[] col = {legend.indexOf(prefix + "read"), legend.indexOf(prefix + "write"), legend.indexOf(prefix + "iops_read"),
                legend.indexOf(prefix + "iops_write")};
        NodeList rows = root.getElementsByTagName("row");
        long newest = t.last;
        int gaps = 0;
        for (int r = 0; r < rows.getLength(); r++) {
            Element row = (Element) rows.item(r);
            long time = number(row, "t");
            newest = Math.max(newest, time);
            if (t.last < 0 || time <= t.last) {
                continue;
            }
            if (t.counted && time - step < t.last) {
                continue; // began before the last counted row: part of it is counted already, and which part is unknown
            }
            NodeList v = row.getElementsByTagName("v");
            for (int k = 0; k < 4; k++) {
                if (col[k] < 0) {
                    continue;
                }
                double rate = rate(v, col[k], legend.get(col[k]));
                if (Double.isNaN(rate)) {
                    gaps++;
                    continue;
                }
                t.sums[k] += rate * step;
            }
        }
        if (gaps > 0) {
            LOG.debug("{} rows without a sample (the VM was not running or rrdd was away): not counted", gaps / 4);
        }
        t.counted = t.counted || (t.last >= 0 && newest > t.last);
        t.last = newest;
        return step;
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        if (n.getLength() == 0) {
            throw refused("sent no <" + tag + ">");
        }
        return n.item(0).getTextContent().trim();
    }

    private static long number(Element parent, String tag) {
        String t = text(parent, tag);
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw refused("sent a <" + tag + "> that is not a number: '" + BoundedReply.clip(t) + "'");
        }
    }

    private static double rate(NodeList values, int column, String name) {
        if (column >= values.getLength()) {
            throw refused("sent a row that has no value for " + BoundedReply.clip(name));
        }
        String t = values.item(column).getTextContent().trim();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw refused("sent a value for " + BoundedReply.clip(name) + " that is not a number: '" + BoundedReply.clip(t) + "'");
        }
    }

    private static StorageException refused(String what) {
        return new StorageException(StorageException.Reason.BACKEND_FAILURE, "The RRD feed (rrd_updates) " + what);
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", Integer.toString(SafeSax.MAX_DEPTH));
            javax.xml.parsers.DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw refused("sent no xport XML: " + BoundedReply.describe(e));
        }
    }
}
