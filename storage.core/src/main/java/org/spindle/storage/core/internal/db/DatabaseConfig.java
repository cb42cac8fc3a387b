package org.spindle.storage.core.internal.db;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Spindle database",
        description = "Where Spindle keeps pools, offerings and volumes. Default: an embedded H2 file database in "
                + "the data directory; PostgreSQL for several nodes.")
public @interface DatabaseConfig {
    String PID = "org.spindle.storage.database";

    @AttributeDefinition(name = "JDBC URL", required = false,
            description = "e.g. jdbc:postgresql://db:5432/spindle. Empty: jdbc:h2:file:<data dir>/spindle/spindle, where the "
                    + "data dir is the framework property spindle.data, else karaf.data, else the bundle's data area.")
    String url() default "";

    @AttributeDefinition(name = "User", required = false)
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Kept out of service properties (the key starts with a dot).")
    String _password() default "";

    @AttributeDefinition(name = "Connection pool size", description = "Most connections held open to the database (at least "
            + "2); cover the operations expected at once, since each holds one while it writes.")
    int pool_size() default 16;

    @AttributeDefinition(name = "Connect timeout (seconds)",
            description = "How long an operation waits for a database connection before it fails as UNAVAILABLE.")
    int connect_timeout_seconds() default 5;

    @AttributeDefinition(name = "Statement timeout (seconds)",
            description = "How long one statement may run before it is cancelled and the operation fails as UNAVAILABLE.")
    int statement_timeout_seconds() default 10;

    @AttributeDefinition(name = "Node id", required = false,
            description = "This runtime's name among the nodes sharing the database: it owns the operations it starts. "
                    + "Empty: a random id made once and kept in the data directory (file spindle/node-id).")
    String node_id() default "";

    @AttributeDefinition(name = "Operation lease (seconds)",
            description = "An operation in flight is this node's for so long, renewed while it runs; once it expires "
                    + "(the node died or lost the database) any node recovers the operation. At least 10.")
    int lease_seconds() default 60;
}
