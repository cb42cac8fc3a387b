package org.spindle.storage.core.internal.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write that goes into the transaction of a volume's save ({@link JdbcStore#update(VolumeRecord, VolumeRecord, boolean, InSave)}):
 * committed with it, or not at all.
 */
@FunctionalInterface
public interface InSave {
    void write(Connection c) throws SQLException;
}
