package dev.mcpgw.examples;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code fininfo} example: stock quotes from Polygon.io when POLYGON_API_KEY is set; without a key every
 * call returns a tool error that says how to configure one.
 */
public final class FinInfo {

    public static final String TOOL = "get_stock_quote";
    public static final String API_KEY_VARIABLE = "POLYGON_API_KEY";

    private static final Pattern TICKER = Pattern.compile("[A-Z][A-Z0-9.]{0,9}");
    private static final URI POLYGON = URI.create("https://api.polygon.io/");

    private FinInfo() {}

    /** @param apiKey the Polygon key, or null when none is configured */
    public static McpHttpServer.Definition definition(String apiKey) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(TOOL)
                .title("Stock quote")
                .description("Get the previous trading day's open, high, low, close and volume for a stock "
                        + "ticker symbol such as AAPL or MSFT.")
                .inputSchema(McpJsonDefaults.getMapper(), """
                        {"type": "object", "required": ["ticker"], "additionalProperties": false,
                         "properties": {"ticker": {"type": "string", "maxLength": 10,
                           "description": "Ticker symbol in capitals, for example AAPL"}}}""")
                .build();
        SyncToolSpecification spec = SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> quote(http, apiKey, request.arguments()))
                .build();
        return new McpHttpServer.Definition(
                new McpSchema.Implementation("fininfo", "Financial Info", "1.0.0"),
                "Stock quotes by ticker symbol.",
                List.of(spec));
    }

    static CallToolResult quote(HttpClient http, String apiKey, Map<String, Object> arguments) {
        String ticker = String.valueOf(arguments == null ? null : arguments.get("ticker"));
        if (!TICKER.matcher(ticker).matches()) {
            return error("'" + ticker + "' is not a ticker symbol; use capitals, for example AAPL.");
        }
        if (apiKey == null || apiKey.isBlank()) {
            return error("No market data source is configured: set " + API_KEY_VARIABLE
                    + " to a Polygon.io API key where the fininfo server runs.");
        }
        HttpRequest request = HttpRequest.newBuilder(
                        POLYGON.resolve("v2/aggs/ticker/" + ticker + "/prev?adjusted=true"))
                .header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return error("Polygon.io answered HTTP " + response.statusCode() + " for " + ticker + ".");
            }
            return CallToolResult.builder().addTextContent(response.body()).build();
        } catch (IOException e) {
            return error("Polygon.io could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("Interrupted while asking Polygon.io.");
        }
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().isError(true).addTextContent(message).build();
    }
}
