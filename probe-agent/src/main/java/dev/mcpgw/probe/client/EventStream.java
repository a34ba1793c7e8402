package dev.mcpgw.probe.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads server-sent events one at a time from a stream: {@code event} and {@code data} fields, comments and
 * keep-alives skipped; an event larger than the limit (in bytes of UTF-8, as it came) is refused rather than
 * buffered.
 */
final class EventStream {

    /** One event: its type ({@code message} unless named) and its data lines joined with newlines. */
    record Event(String type, String data) {}

    private final BufferedReader reader;
    private final int maxEventBytes;

    EventStream(InputStream in, int maxEventBytes) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.maxEventBytes = maxEventBytes;
    }

    /** Bytes read of the event in progress (its lines and their ends). */
    private int size;

    /** The next event, or null at the end of the stream. */
    Event next() throws IOException, ProbeFailure {
        String type = null;
        StringBuilder data = null;
        size = 0;
        for (String line = readLine(); line != null; line = readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(type == null ? "message" : type, data.toString());
                }
                type = null;
                size = 0;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                type = value;
            } else if (field.equals("data")) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
        return data == null ? null : new Event(type == null ? "message" : type, data.toString());
    }

    /**
     * One line (ending at LF, CR or CRLF, without it), or null at the end of the stream; counted into the event's
     * size as it is read, and refused once the event passes the limit, before it is held whole - a server cannot
     * fill memory with one endless line.
     */
    private String readLine() throws IOException, ProbeFailure {
        StringBuilder line = new StringBuilder();
        for (int c = reader.read(); ; c = reader.read()) {
            if (c == -1) {
                return line.length() == 0 ? null : line.toString();
            }
            size += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate((char) c) ? 2 : 3;
            if (size > maxEventBytes) {
                throw HttpMcp.tooLarge(maxEventBytes);
            }
            if (c == '\n') {
                return line.toString();
            }
            if (c == '\r') {
                reader.mark(1);
                if (reader.read() != '\n') {
                    reader.reset();
                } else {
                    size++;
                }
                return line.toString();
            }
            line.append((char) c);
        }
    }
}
