package org.spindle.hyper.vmware.internal;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.hyper.vmware.internal.vim.SoapVSphere;

/**
 * What the tests on spindle-vcsim share: its cluster DC0_C0 of three hosts (one simulator process a test class, in a
 * directory of its own), and for each test a vCenter session and the service's cluster over it. A test class that
 * starts the simulator with other options declares its own {@code static void start()}, which hides this one.
 */
abstract class VcsimFixture {
    @TempDir
    static Path dir;
    static Vcsim vcsim;
    SoapVSphere vsphere;
    VmwareCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        vcsim = Vcsim.start(dir, "iqn.1998-01.com.vmware:clustertest");
    }

    @AfterAll
    static void stop() throws Exception {
        if (vcsim != null) {
            vcsim.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        vsphere = vcsim.vsphere();
        cluster = new VmwareCluster(vsphere, "DC0_C0", staticDatastores());
    }

    /** The operator's datastores the cluster offers (its {@code structures}); none by default. */
    List<String> staticDatastores() {
        return List.of();
    }

    @AfterEach
    void disconnect() throws Exception {
        vsphere.close();
    }
}
