/** The test attach service component. Private. */
package org.spindle.itest.attach.internal;
