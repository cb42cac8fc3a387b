package org.spindle.itest.attach.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.spindle.storage.api.runtime.RejectionReporter;

/** Just enough of a framework for {@link TestAttachService}: it records registrations and rejection reports. */
final class FakeFramework {
    /** One registerService call and what happened to it since. */
    static final class Registration {
        final List<String> interfaces;
        final Object service;
        final List<Dictionary<String, ?>> properties = new ArrayList<>();
        boolean unregistered;

        Registration(String[] interfaces, Object service, Dictionary<String, ?> properties) {
            this.interfaces = List.of(interfaces);
            this.service = service;
            this.properties.add(properties);
        }

        Dictionary<String, ?> current() {
            return properties.get(properties.size() - 1);
        }
    }

    final List<Registration> registrations = new ArrayList<>();
    final List<String> reports = new ArrayList<>();

    ComponentContext component() {
        Bundle bundle = proxy(Bundle.class, (name, args) -> name.equals("getSymbolicName") ? "org.spindle.itest.attach" : null);
        BundleContext context = proxy(BundleContext.class, (name, args) -> switch (name) {
            case "getBundle" -> bundle;
            case "registerService" -> register((String[]) args[0], args[1], (Dictionary<?, ?>) args[2]);
            default -> throw new UnsupportedOperationException(name);
        });
        RejectionReporter reporter = new RejectionReporter() {
            @Override
            public void rejected(Kind kind, String pid, String bundleName, String type, String reason) {
                reports.add("rejected " + pid + ": " + reason);
            }

            @Override
            public void cleared(String pid) {
                reports.add("cleared " + pid);
            }
        };
        return proxy(ComponentContext.class, (name, args) -> switch (name) {
            case "getBundleContext" -> context;
            case "locateService" -> TestAttachService.REPORTER.equals(args[0]) ? reporter : null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    /** The registrations not unregistered. */
    List<Registration> live() {
        return registrations.stream().filter(r -> !r.unregistered).toList();
    }

    @SuppressWarnings("unchecked")
    private ServiceRegistration<?> register(String[] interfaces, Object service, Dictionary<?, ?> properties) {
        Registration r = new Registration(interfaces, service, (Dictionary<String, ?>) properties);
        registrations.add(r);
        return proxy(ServiceRegistration.class, (name, args) -> {
            if (r.unregistered) {
                throw new IllegalStateException("unregistered");
            }
            switch (name) {
                case "setProperties" -> r.properties.add((Dictionary<String, ?>) args[0]);
                case "unregister" -> r.unregistered = true;
                default -> throw new UnsupportedOperationException(name);
            }
            return null;
        });
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(FakeFramework.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> method.getName().equals("toString") ? type.getSimpleName()
                        : answer.answer(method.getName(), args));
    }
}
