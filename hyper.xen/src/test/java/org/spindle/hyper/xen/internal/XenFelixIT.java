package org.spindle.hyper.xen.internal;

import java.util.Map;

import org.osgi.framework.launch.Framework;

/** {@link XenBundleIT} in Apache Felix 7.0.5 (Karaf 4.4's framework). */
class XenFelixIT extends XenBundleIT {
    @Override
    Framework newFramework(Map<String, String> properties) {
        return new org.apache.felix.framework.FrameworkFactory().newFramework(properties);
    }
}
