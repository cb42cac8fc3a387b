package org.spindle.hyper.kvm.internal;

import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_CONFIG;
import static org.spindle.hyper.kvm.internal.jna.BlockIoTune.AFFECT_LIVE;

import java.util.Optional;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The live and persistent views of a domain at one moment, and the flags a change to it takes.
 *
 * @param running    whether the domain runs
 * @param persistent whether it has a persistent configuration
 * @param live       its live XML (the configuration when it does not run)
 * @param config     its persistent XML (the live XML for a transient or stopped domain)
 */
record DomainState(boolean running, boolean persistent, DomainXml live, DomainXml config) {
    /** {@code VIR_DOMAIN_XML_INACTIVE}: the persistent configuration. */
    private static final int XML_INACTIVE = 2;

    static DomainState of(Domain d) throws LibvirtException {
        boolean running = Domains.running(d);
        boolean persistent = d.isPersistent() == 1;
        DomainXml live = DomainXml.parse(d.getXMLDesc(0));
        DomainXml config = persistent && running ? DomainXml.parse(d.getXMLDesc(XML_INACTIVE)) : live;
        return new DomainState(running, persistent, live, config);
    }

    /** What a change affects: the running domain when it runs (and its config when persistent), else the config. */
    int flags() {
        return running ? AFFECT_LIVE | (persistent ? AFFECT_CONFIG : 0) : AFFECT_CONFIG;
    }

    /** The view a change acts on: the live one when it runs, else the configuration. */
    DomainXml current() {
        return running ? live : config;
    }

    /** The disk with {@code alias} in the current view. */
    Optional<DomainXml.Disk> disk(String alias) {
        return current().diskByAlias(alias);
    }
}
