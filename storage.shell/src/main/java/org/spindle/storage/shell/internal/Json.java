package org.spindle.storage.shell.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;

/**
 * The {@code --json} output: the API's records as they are, one JSON object for one value, an array for a
 * list. Properties are the record components only (no {@code isEmpty()}-style derived values), instants are
 * ISO-8601 strings, a {@link Portal} is its {@code host:port} text ({@code [fd00::5]:3260} for IPv6, what
 * {@link Portal#parse} reads), a {@link Secret} would be written as {@code "********"} and a {@link Target}'s
 * CHAP credentials are never written.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .addMixIn(Target.class, TargetMixIn.class)
            .addModule(new SimpleModule("spindle-shell")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Portal.class, ToStringSerializer.instance)
                    .addSerializer(Secret.class, new SecretSerializer()))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writerWithDefaultPrettyPrinter();
    private static final ObjectWriter COMPACT = MAPPER.writer();

    private Json() {
    }

    /** {@code value} as indented JSON. */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as JSON on one line, without spaces: one element of a streamed array ({@link JsonArray}). */
    public static String compact(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonIgnoreProperties("chap")
    private abstract static class TargetMixIn {
    }

    private static final class SecretSerializer extends StdSerializer<Secret> {
        private static final long serialVersionUID = 1L;

        SecretSerializer() {
            super(Secret.class);
        }

        @Override
        public void serialize(Secret value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }
}
