package org.spindle.storage.shell;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.usage.UsageQuery;
import org.spindle.storage.api.usage.UsageRecord;
import org.spindle.storage.api.usage.UsageService;

/** Records the queries; answers with the records a test put in. */
class FakeUsageService implements UsageService {
    final List<UsageQuery> queries = new ArrayList<>();
    final List<UsageRecord> records = new ArrayList<>();

    @Override
    public List<UsageRecord> usage(UsageQuery query) {
        queries.add(query);
        return records;
    }

    @Override
    public void sample() {
        throw new AssertionError("the shell never samples");
    }
}
