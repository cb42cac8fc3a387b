/** The Spindle core's implementation: private to this bundle. */
package org.spindle.storage.core.internal;
