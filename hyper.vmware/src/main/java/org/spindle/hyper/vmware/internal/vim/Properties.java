package org.spindle.hyper.vmware.internal.vim;

import static org.spindle.hyper.vmware.internal.vim.Xml.children;
import static org.spindle.hyper.vmware.internal.vim.Xml.el;
import static org.spindle.hyper.vmware.internal.vim.Xml.ref;
import static org.spindle.hyper.vmware.internal.vim.Xml.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.w3c.dom.Element;

/**
 * Reading managed object properties (RetrievePropertiesEx), objects in a container (a container view), and
 * waiting for tasks, over one {@link VimConnection}.
 */
public final class Properties {
    /**
     * The most objects one RetrievePropertiesEx page may hold (vCenter may answer fewer; the rest comes through
     * ContinueRetrievePropertiesEx): a page's size stays bounded whatever the inventory's, far under the reply limit.
     */
    static final int MAX_OBJECTS = 1000;

    private final VimConnection vim;

    public Properties(VimConnection vim) {
        this.vim = vim;
    }

    /** The properties read for one object: property path → its {@code <val>} element. */
    public record Obj(MoRef ref, Map<String, Element> values) {
        public Optional<Element> get(String path) {
            return Optional.ofNullable(values.get(path));
        }

        public String text(String path) {
            Element e = values.get(path);
            return e == null ? "" : e.getTextContent().trim();
        }
    }

    /** Reads {@code paths} of each object (all of type {@code type}); an object that is gone is left out. */
    public List<Obj> read(String type, List<MoRef> objects, String... paths) {
        if (objects.isEmpty()) {
            return List.of();
        }
        try {
            return readAll(type, objects, paths);
        } catch (VimFault f) {
            if (!f.is("ManagedObjectNotFound") || objects.size() == 1) {
                throw f;
            }
            // one of them went away between listing and reading: read them one by one
            List<Obj> out = new ArrayList<>();
            for (MoRef o : objects) {
                read(o, paths).ifPresent(out::add);
            }
            return out;
        }
    }

    private List<Obj> readAll(String type, List<MoRef> objects, String... paths) {
        Xml.El spec = el("specSet").add(propSet(type, paths));
        for (MoRef o : objects) {
            spec.add(el("objectSet").add(ref("obj", o)).add("skip", false));
        }
        return collect(spec);
    }

    /** Reads {@code paths} of one object; empty when the object does not exist (any more). */
    public Optional<Obj> read(MoRef object, String... paths) {
        try {
            List<Obj> r = read(object.type(), List.of(object), paths);
            return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
        } catch (VimFault f) {
            if (f.is("ManagedObjectNotFound")) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** Every object of {@code type} under {@code container} (recursively), with {@code paths}. */
    public List<Obj> within(MoRef container, String type, String... paths) {
        MoRef view = Xml.moRef(vim.callForValue("CreateContainerView", vim.content().viewManager(),
                ref("container", container), Xml.value("type", type), Xml.value("recursive", true)).orElseThrow(() ->
                new VimFault("InvalidResponse", "CreateContainerView returned no view", null)));
        try {
            return collect(el("specSet").add(propSet(type, paths)).add(el("objectSet").add(ref("obj", view)).add("skip", true)
                    .add(Xml.typed("selectSet", "TraversalSpec").add("name", "view").add("type", "ContainerView")
                            .add("path", "view").add("skip", false))));
        } finally {
            vim.call("DestroyView", view);
        }
    }

    private static Xml.El propSet(String type, String... paths) {
        Xml.El p = el("propSet").add("type", type);
        if (paths.length == 0) {
            p.add("all", true);
        }
        for (String path : paths) {
            p.add("pathSet", path);
        }
        return p;
    }

    /**
     * Runs a retrieval. vCenter answers a retrieval in an expired session not with a fault but with a
     * NotAuthenticated fault in each object's missingSet: then log in again and retrieve once more.
     */
    private List<Obj> collect(Xml.El spec) {
        try {
            return collectOnce(spec);
        } catch (VimFault f) {
            if (!f.is("NotAuthenticated")) {
                throw f;
            }
            vim.relogin();
            return collectOnce(spec);
        }
    }

    private List<Obj> collectOnce(Xml.El spec) {
        List<Obj> out = new ArrayList<>();
        Element response = vim.call("RetrievePropertiesEx", vim.content().propertyCollector(), spec, el("options").add("maxObjects", MAX_OBJECTS));
        String token;
        do {
            token = "";
            for (Element result : children(response, "returnval")) {
                for (Element o : children(result, "objects")) {
                    MoRef ref = Xml.child(o, "obj").map(Xml::moRef).orElseThrow();
                    Map<String, Element> values = new HashMap<>();
                    for (Element p : children(o, "propSet")) {
                        Xml.child(p, "val").ifPresent(v -> values.put(text(p, "name"), v));
                    }
                    for (Element missing : children(o, "missingSet")) {
                        String type = Xml.child(missing, "fault").flatMap(f -> Xml.child(f, "fault")).map(Xml::xsiType).orElse("");
                        if ("NotAuthenticated".equals(type)) {
                            throw new VimFault(type, "the session has ended", null);
                        }
                    }
                    if (!children(o, "missingSet").isEmpty() && values.isEmpty()) {
                        continue;
                    }
                    out.add(new Obj(ref, Map.copyOf(values)));
                }
                token = text(result, "token");
            }
            if (!token.isEmpty()) {
                response = vim.call("ContinueRetrievePropertiesEx", vim.content().propertyCollector(), Xml.value("token", token));
            }
        } while (!token.isEmpty());
        return out;
    }

    /** Waits until the task ends; returns its result element, or throws its fault. */
    public Optional<Element> await(MoRef task, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 20;
        while (true) {
            Obj info = read(task, "info.state", "info.error", "info.result").orElseThrow(() ->
                    new VimFault("ManagedObjectNotFound", "task " + task.value() + " is gone", null));
            String state = info.text("info.state");
            if ("success".equals(state)) {
                return info.get("info.result");
            }
            if ("error".equals(state)) {
                Element error = info.get("info.error").orElse(null);
                Element fault = error == null ? null : Xml.child(error, "fault").orElse(null);
                String type = fault == null ? "SystemError" : Xml.xsiType(fault);
                throw new VimFault(type.isEmpty() ? "SystemError" : type, error == null ? "" : text(error, "localizedMessage"),
                        fault == null ? null : text(fault, "invalidProperty"));
            }
            if (System.nanoTime() > deadline) {
                throw new VimFault("Timeout", "task " + task.value() + " still " + state + " after " + timeout.toSeconds() + " s", null);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VimFault("Interrupted", "while waiting for task " + task.value(), null);
            }
            pause = Math.min(pause * 2, 500);
        }
    }
}
