/** The XenServer / XCP-ng attach service: private. */
package org.spindle.hyper.xen.internal;
