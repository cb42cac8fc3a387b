package org.spindle.hyper.xen.internal;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.spindle.xen.simulator.TgtLun;

/**
 * What the tests on the simulated pool with a real tgt LUN share: the tgt peer required, and for each test a started
 * pool ({@link XenPeer}) and a new LUN of {@code size} bytes its three hosts may log in to, both closed after the test
 * (after the subclass's own {@code @AfterEach}).
 */
abstract class PoolWithLun {
    private final String name;
    private final long size;
    XenPeer xen;
    TgtLun lun;

    /** {@code name} starts the LUN's name (a number is added: each test's LUN is new). */
    PoolWithLun(String name, long size) {
        this.name = name;
        this.size = size;
    }

    @BeforeAll
    static void peers() {
        XenPeer.requireTgt();
    }

    @BeforeEach
    void startPoolAndLun() throws Exception {
        xen = XenPeer.start();
        lun = XenPeer.lun(name + "-" + (System.nanoTime() % 100000), size);
    }

    @AfterEach
    void stopPoolAndLun() throws Exception {
        xen.close();
        lun.close();
    }

    /** A new LUN in place of the test's one, as a new Spindle volume gets a new SAN volume (an SR left on a LUN is that volume's data). */
    void fresh() throws IOException {
        lun.close();
        lun = XenPeer.lun(name + "-" + (System.nanoTime() % 100000), size);
    }
}
