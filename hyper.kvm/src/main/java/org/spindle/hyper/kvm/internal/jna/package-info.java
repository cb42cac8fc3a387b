/** JNA bindings of the libvirt calls libvirt-java 0.5.4 lacks. Private. */
package org.spindle.hyper.kvm.internal.jna;
