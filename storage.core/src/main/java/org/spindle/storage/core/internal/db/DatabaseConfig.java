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

    @AttributeDefinition(name = "DataSourceFactory filter",
            description = "Selects the JDBC driver's DataSourceFactory service.")
    String dataSourceFactory_target() default "(osgi.jdbc.driver.class=org.h2.Driver)";
}
