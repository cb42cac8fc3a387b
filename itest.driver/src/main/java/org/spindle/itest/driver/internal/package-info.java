/** The test driver component and its in-memory SAN. Private. */
package org.spindle.itest.driver.internal;
