package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;

class OfferingCommandsTest {
    private final FakeOfferingService offerings = new FakeOfferingService();

    private OfferingCreate create(String name) {
        OfferingCreate c = new OfferingCreate();
        c.offerings = offerings;
        c.name = name;
        return c;
    }

    @Test
    void createMapsEveryOption() throws Exception {
        OfferingCreate c = create("gold");
        c.description = "Gold tier";
        c.tags = "ssd, gold";
        c.customIops = true;
        c.minIops = "1000";
        c.maxIops = "2000";
        c.burstIops = "3000";
        c.readIops = "500";
        c.readIopsMax = "800";
        c.readIopsMaxLength = "30";
        c.totalBps = "100M";
        c.totalBpsMax = "200M";
        c.totalBpsMaxLength = "10";
        c.weight = "800";

        assertEquals("Offering gold created", Console.run(c).strip());

        Offering o = offerings.offerings.get(0);
        assertEquals(new Offering("gold", "Gold tier", List.of("ssd", "gold"), new QosSpec(
                new StorageQos(1000, 2000, 3000),
                new IoLimits(new Limit(500, 800, 30), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE,
                        new Limit(100L << 20, 200L << 20, 10), 800)), true), o);
    }

    @Test
    void createWithoutOptionsHasNoQos() throws Exception {
        Console.run(create("plain"));
        Offering o = offerings.offerings.get(0);
        assertEquals(QosSpec.NONE, o.qos());
        assertEquals(List.of(), o.tags());
        assertEquals("", o.description());
    }

    @Test
    void createRefusesBadInputWithoutCallingTheService() {
        OfferingCreate burst = create("gold");
        burst.writeIops = "500";
        burst.writeIopsMax = "100";
        assertEquals("write-iops-max: must be at least write-iops 500 (was 100)",
                assertThrows(StorageException.class, () -> Console.run(burst)).getMessage());

        OfferingCreate tags = create("gold");
        tags.tags = "ssd,,gold";
        assertEquals("tags", assertThrows(StorageException.class, () -> Console.run(tags)).field());

        OfferingCreate name = create("gold tier");
        assertEquals("name", assertThrows(StorageException.class, () -> Console.run(name)).field());

        OfferingCreate weight = create("gold");
        weight.weight = "5000";
        assertEquals("weight: must be 1 (lowest) to 1000 (highest) (was '5000')",
                assertThrows(StorageException.class, () -> Console.run(weight)).getMessage());

        OfferingCreate length = create("gold");
        length.readBps = "10M";
        length.readBpsMaxLength = "10";
        assertEquals("read-bps-max-length", assertThrows(StorageException.class, () -> Console.run(length)).field());

        assertEquals(List.of(), offerings.calls);
    }

    @Test
    void listAsTableAndJson() throws Exception {
        Console.run(create("plain"));
        OfferingCreate gold = create("gold");
        gold.maxIops = "2000";
        gold.readIops = "500";
        gold.weight = "250";
        Console.run(gold);
        OfferingList list = new OfferingList();
        list.offerings = offerings;

        String out = Console.run(list);
        assertTrue(out.lines().findFirst().orElseThrow().matches(
                "NAME +\\| TAGS +\\| MIN IOPS \\| MAX IOPS \\| BURST IOPS \\| CUSTOM IOPS \\| HYPERVISOR LIMITS +\\| DESCRIPTION"),
                out);
        assertTrue(out.contains("read-iops 500, weight 250"), out);

        list.json = true;
        JsonNode array = new ObjectMapper().readTree(Console.run(list));
        assertEquals(2, array.size());
        assertEquals(List.of("name", "description", "tags", "qos", "customIops"),
                VolumeCommandsTest.names(array.get(1)));
        assertEquals(2000, array.get(1).get("qos").get("storage").get("maxIops").asLong());
        assertEquals(250, array.get(1).get("qos").get("limits").get("weight").asInt());
    }

    @Test
    void deleteDelegates() throws Exception {
        OfferingDelete delete = new OfferingDelete();
        delete.offerings = offerings;
        delete.name = "gold";
        assertEquals("Offering gold deleted", Console.run(delete).strip());
        assertEquals(List.of("delete gold"), offerings.calls);
    }
}
