package io.tlsnic.wire.testing;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a JSON vector file below {@code vectors/}. */
public final class Json
{
    private Json()
    {
    }

    /** @return the parsed tree. */
    public static JsonNode read(final String relative) throws IOException
    {
        return new ObjectMapper().readTree(Vectors.file(relative).toFile());
    }
}
