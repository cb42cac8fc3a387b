package org.spindle.xen.simulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The pool's hosts, VMs and credentials. */
public final class SimulatorBuilder {
    String user = "root";
    String password = "xen-simulator-password";
    String pool = "spindle-xen-pool";
    Clock clock = Clock.systemUTC();
    final List<String[]> hosts = new ArrayList<>();
    final List<Object[]> vms = new ArrayList<>();

    SimulatorBuilder() {
    }

    /**
     * The pool's clock (the hosts' time): what {@code host.get_servertime} answers and what the RRDs sample by. A test
     * can move it on to complete an RRD step without waiting.
     */
    public SimulatorBuilder clock(Clock c) {
        this.clock = c;
        return this;
    }

    public SimulatorBuilder user(String u) {
        this.user = u;
        return this;
    }

    public SimulatorBuilder password(String p) {
        this.password = p;
        return this;
    }

    public SimulatorBuilder pool(String name) {
        this.pool = name;
        return this;
    }

    /** A host with its initiator name ({@code other_config:iscsi_iqn}); the first host is the master. */
    public SimulatorBuilder host(String name, String iqn) {
        hosts.add(new String[] {name, iqn});
        return this;
    }

    /** A VM, running on {@code host} or halted ({@code running == false}, host ignored). */
    public SimulatorBuilder vm(String name, String host, boolean running) {
        vms.add(new Object[] {name, host, running});
        return this;
    }

    public XenSimulator build() {
        if (hosts.isEmpty()) {
            throw new IllegalStateException("a pool needs at least one host");
        }
        return new XenSimulator(this);
    }
}

