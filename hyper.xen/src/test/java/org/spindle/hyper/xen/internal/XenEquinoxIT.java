package org.spindle.hyper.xen.internal;

import java.util.Map;

import org.osgi.framework.launch.Framework;

/** {@link XenBundleIT} in Eclipse Equinox 3.23.100 (the version itest.osgi resolves with). */
class XenEquinoxIT extends XenBundleIT {
    @Override
    Framework newFramework(Map<String, String> properties) {
        return new org.eclipse.osgi.launch.EquinoxFactory().newFramework(properties);
    }
}
