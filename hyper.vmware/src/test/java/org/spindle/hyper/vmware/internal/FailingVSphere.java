package org.spindle.hyper.vmware.internal;

import java.util.List;
import java.util.Optional;

import org.spindle.hyper.vmware.internal.vim.VimFault;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.StorageException;

/**
 * A {@link VSphere} that passes every call to a real one, except that the {@code n}-th call of one named operation
 * fails (before it reaches vCenter, or after it, as a call whose answer was lost): a test arms it, runs an attach or
 * detach, and sees what the failure left.
 */
final class FailingVSphere implements VSphere {
    private final VSphere real;
    private String operation = "";
    private int remaining;
    private boolean afterCall;
    private boolean unanswered;
    private volatile String held = "";
    private volatile java.util.concurrent.CountDownLatch reached;
    private volatile java.util.concurrent.CountDownLatch release;

    FailingVSphere(VSphere real) {
        this.real = real;
    }

    /** The {@code nth} call of {@code op} fails; {@code afterCall}: it is made, then its answer is lost. */
    void failOn(String op, int nth, boolean afterCall) {
        this.operation = op;
        this.remaining = nth;
        this.afterCall = afterCall;
        this.unanswered = false;
    }

    /** The {@code nth} call of {@code op} is made, then its connection is cut: UNAVAILABLE, as the SOAP client says it. */
    void loseReplyOn(String op, int nth) {
        failOn(op, nth, true);
        this.unanswered = true;
    }

    /**
     * The next call of {@code op} counts {@code reached} down and waits for {@code release} before it goes to vCenter
     * (a test looks at what an attach under way shows).
     */
    void holdOn(String op, java.util.concurrent.CountDownLatch reached, java.util.concurrent.CountDownLatch release) {
        this.reached = reached;
        this.release = release;
        this.held = op;
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String op, Call<T> call) {
        if (op.equals(held)) {
            held = "";
            reached.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held at " + op, e);
            }
        }
        boolean fail = op.equals(operation) && --remaining == 0;
        if (fail) {
            operation = "";
        }
        if (fail && !afterCall) {
            throw new VimFault("SystemError", "injected before " + op, null);
        }
        T result = call.run();
        if (fail && unanswered) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "vcenter.url", "vCenter 127.0.0.1 did not answer "
                    + op + ": the connection was cut (injected)", null);
        }
        if (fail) {
            throw new VimFault("SystemError", "injected after " + op + " (the answer was lost)", null);
        }
        return result;
    }

    private void run(String op, Runnable r) {
        call(op, () -> {
            r.run();
            return null;
        });
    }

    @Override public List<Host> hosts() { return call("hosts", real::hosts); }
    @Override public List<StaticTarget> staticTargets(Host h) { return call("staticTargets", () -> real.staticTargets(h)); }
    @Override public void addStaticTarget(Host h, StaticTarget t, Chap c) { run("addStaticTarget", () -> real.addStaticTarget(h, t, c)); }
    @Override public void removeStaticTarget(Host h, StaticTarget t) { run("removeStaticTarget", () -> real.removeStaticTarget(h, t)); }
    @Override public void rescan(Host h) { run("rescan", () -> real.rescan(h)); }
    @Override public List<Disk> disks(Host h) { return call("disks", () -> real.disks(h)); }
    @Override public Optional<Datastore> datastore(String n) { return call("datastore", () -> real.datastore(n)); }
    @Override public List<Datastore> datastores() { return call("datastores", real::datastores); }
    @Override public int realtimeSeconds(Vm vm) { return call("realtimeSeconds", () -> real.realtimeSeconds(vm)); }
    @Override public List<DiskIo> diskIo(Vm vm, String i, java.time.Instant a, int s) { return call("diskIo", () -> real.diskIo(vm, i, a, s)); }
    @Override public Datastore createVmfsDatastore(Host h, Disk d, String n) { return call("createVmfsDatastore", () -> real.createVmfsDatastore(h, d, n)); }
    @Override public boolean expandVmfsDatastore(Host h, Datastore d) { return call("expandVmfsDatastore", () -> real.expandVmfsDatastore(h, d)); }
    @Override public void mountVmfs(Host h, String u) { run("mountVmfs", () -> real.mountVmfs(h, u)); }
    @Override public void unmountVmfs(Host h, String u) { run("unmountVmfs", () -> real.unmountVmfs(h, u)); }
    @Override public void removeDatastore(Host h, Datastore d) { run("removeDatastore", () -> real.removeDatastore(h, d)); }
    @Override public List<Vm> vms() { return call("vms", real::vms); }
    @Override public List<VmDisk> disks(Vm vm) { return call("vmDisks", () -> real.disks(vm)); }
    @Override public List<DiskFile> diskFiles() { return call("diskFiles", real::diskFiles); }
    @Override public Slot freeSlot(Vm vm) { return call("freeSlot", () -> real.freeSlot(vm)); }
    @Override public void addDisk(Vm vm, String f, long kb, Slot s, long l, int sh) { run("addDisk", () -> real.addDisk(vm, f, kb, s, l, sh)); }
    @Override public void attachDisk(Vm vm, String f, long kb, Slot s, long l, int sh) { run("attachDisk", () -> real.attachDisk(vm, f, kb, s, l, sh)); }
    @Override public void changeDisk(Vm vm, VmDisk d, long kb, long l, int sh) { run("changeDisk", () -> real.changeDisk(vm, d, kb, l, sh)); }
    @Override public void removeDisk(Vm vm, VmDisk d) { run("removeDisk", () -> real.removeDisk(vm, d)); }
    @Override public boolean fileExists(String f) { return call("fileExists", () -> real.fileExists(f)); }
    @Override public void createVirtualDisk(String f, long kb) { run("createVirtualDisk", () -> real.createVirtualDisk(f, kb)); }
    @Override public void deleteVirtualDisk(String f) { run("deleteVirtualDisk", () -> real.deleteVirtualDisk(f)); }
    @Override public void close() { real.close(); }
}
