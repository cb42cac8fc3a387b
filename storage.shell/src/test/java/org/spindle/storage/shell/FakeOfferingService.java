package org.spindle.storage.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;

/** Keeps offerings in a list; records calls. */
class FakeOfferingService implements OfferingService {
    final List<String> calls = new ArrayList<>();
    final List<Offering> offerings = new ArrayList<>();

    @Override
    public Offering create(Offering offering) {
        calls.add("create " + offering.name());
        offerings.add(offering);
        return offering;
    }

    @Override
    public List<Offering> list() {
        calls.add("list");
        return List.copyOf(offerings);
    }

    @Override
    public Optional<Offering> get(String name) {
        calls.add("get " + name);
        return offerings.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    @Override
    public void delete(String name) {
        calls.add("delete " + name);
        offerings.removeIf(o -> o.name().equals(name));
    }
}
