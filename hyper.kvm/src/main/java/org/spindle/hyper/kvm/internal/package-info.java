/** The KVM attach service: configuration, libvirt operations, XML. Private. */
package org.spindle.hyper.kvm.internal;
