// Testee for realtime-conformance (protocol v1.1, docs/protocol.md): the Java models that
// openapi-generator's jaxrs-spec generator makes of RealtimeSessionCreateResponse, read and
// written by a plain Jackson ObjectMapper, the way their users call them. One JVM serves
// the whole run; build.sh generates the models and compiles this file.

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.openapitools.model.RealtimeSessionCreateResponse;

public final class Testee {
    // The library as users run it: Jackson's defaults, nothing configured. With them Jackson
    // refuses unknown members (FAIL_ON_UNKNOWN_PROPERTIES), so nothing is ever preserved:
    // "drop" is the honest claim. It checks each member's type against the generated field
    // (enums included) but coerces scalars ("0.8" to a number, 5 to "5"): "schema" is what
    // the generated classes promise, and where Jackson falls short the suite says so.
    private static final ObjectMapper LIBRARY = new ObjectMapper();

    // The protocol's own mapper. ASCII-only output keeps a lone surrogate as an escape.
    private static final ObjectMapper PROTOCOL =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private Testee() {}

    public static void main(String[] args) throws IOException {
        Reader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        for (String line = readLine(in); line != null; line = readLine(in)) {
            JsonNode request = PROTOCOL.readTree(line);
            String cmd = request.path("cmd").asText();
            ObjectNode reply;
            if (cmd.equals("start") && request.path("protocol").asInt() == 1) {
                reply = hello();
            } else if (cmd.equals("roundtrip")) {
                reply = roundtrip(request.path("seq").asLong(), request.path("document").asText());
            } else if (cmd.equals("stop")) {
                return;
            } else {
                System.err.println("unexpected request: " + line);
                System.exit(1);
                return;
            }
            out.write(PROTOCOL.writeValueAsBytes(reply));
            out.write('\n');
            out.flush();
        }
    }

    private static ObjectNode hello() throws IOException {
        ObjectNode hello = PROTOCOL.createObjectNode().put("protocol", 1);
        String generator;
        try (InputStream stream = Testee.class.getResourceAsStream("/generator-version.txt")) {
            generator = new String(stream.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        hello.putObject("implementation")
                .put("name", "openapi-generator jaxrs-spec models with Jackson")
                .put("version", generator + " (jackson-databind " + PackageVersion.VERSION + ")")
                .put("language", "java")
                .put("homepage", "https://openapi-generator.tech/docs/generators/jaxrs-spec");
        hello.putObject("claims").put("validation", "schema").put("unknown_members", "drop");
        return hello;
    }

    private static ObjectNode roundtrip(long seq, String document) {
        ObjectNode reply = PROTOCOL.createObjectNode().put("seq", seq);
        try {
            RealtimeSessionCreateResponse model =
                    LIBRARY.readValue(document, RealtimeSessionCreateResponse.class);
            return reply.put("ok", true).put("document", LIBRARY.writeValueAsString(model));
        } catch (JsonProcessingException e) {
            // Jackson's own exception for text or values it refuses: a rejection.
            return reply.put("ok", false).put("error", e.getClass().getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Anything else (a NullPointerException, a stack overflow, an I/O error writing
            // to a string) is not how Jackson says no: users would not expect it.
            return reply.put("ok", false).put("error", e.toString()).put("crash", true);
        }
    }

    // Lines end at '\n' only (protocol v1): U+2028 or a stray '\r' belong to the line.
    private static String readLine(Reader in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                return line.length() == 0 ? null : line.toString();
            }
            line.append((char) c);
        }
        return line.toString();
    }
}
