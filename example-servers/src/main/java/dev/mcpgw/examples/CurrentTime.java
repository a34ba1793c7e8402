package dev.mcpgw.examples;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** The {@code currenttime} example: the current date and time in an IANA time zone. */
public final class CurrentTime {

    public static final String TOOL = "current_time";

    private CurrentTime() {}

    /** @param instance shown in the server's title, to tell replicas apart (null for none) */
    public static McpHttpServer.Definition definition(Clock clock, String instance) {
        String title = "Current Time" + (instance == null ? "" : " (" + instance + ")");
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(TOOL)
                .title("Current time")
                .description("Get the current date and time in a time zone, for example Europe/Paris or "
                        + "America/New_York. Defaults to UTC.")
                .inputSchema(McpJsonDefaults.getMapper(), """
                        {"type": "object", "properties": {"timezone": {"type": "string", "maxLength": 64,
                          "description": "IANA time zone name, for example Europe/Paris (default UTC)"}},
                         "additionalProperties": false}""")
                .build();
        SyncToolSpecification spec = SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> now(clock, request.arguments()))
                .build();
        return new McpHttpServer.Definition(
                new McpSchema.Implementation("currenttime", title, "1.0.0"),
                "Tells the current time in any IANA time zone.",
                List.of(spec));
    }

    static CallToolResult now(Clock clock, Map<String, Object> arguments) {
        Object requested = arguments == null ? null : arguments.get("timezone");
        String zoneName = requested == null ? "UTC" : requested.toString();
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            return CallToolResult.builder()
                    .isError(true)
                    .addTextContent("Unknown time zone '" + zoneName + "'. Use an IANA name such as Europe/Paris, "
                            + "America/New_York or UTC.")
                    .build();
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        String iso = now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return CallToolResult.builder()
                .addTextContent("The current time in " + zone.getId() + " is " + iso + ".")
                .structuredContent(Map.of("timezone", zone.getId(), "datetime", iso))
                .build();
    }
}
