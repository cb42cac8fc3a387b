/** JUnit 5 tests run inside a plain OSGi framework by the bnd tester. Not exported. */
package org.spindle.itest.osgi;
