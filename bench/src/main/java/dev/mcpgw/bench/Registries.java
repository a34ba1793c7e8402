package dev.mcpgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Generated registries shaped like real ones. */
final class Registries {

    private Registries() {}

    /**
     * {@code size} entries: both transports, tags, owners, a tenth disabled, a fifth with two replicas,
     * every seventh behind a host name with a base path.
     */
    static Path generate(int size) throws IOException {
        Path directory = Files.createTempDirectory("mcpgw-bench-" + size + "-");
        for (int i = 0; i < size; i++) {
            String id = "server-" + i;
            boolean replicated = i % 5 == 0 && i % 3 != 0;
            String host = i % 7 == 0
                    ? "mcp-" + i + ".internal.example.com"
                    : "10." + (i / 65536 % 256) + "." + (i / 256 % 256) + "." + (i % 256);
            StringBuilder yaml = new StringBuilder()
                    .append("# yaml-language-server: $schema=../schema/mcp-server.schema.json\n")
                    .append("name: Server ")
                    .append(i)
                    .append('\n')
                    .append("path: /")
                    .append(id)
                    .append('\n')
                    .append("proxy_pass_url: http://")
                    .append(host)
                    .append(":8080/mcp-base\n")
                    .append("transport: ")
                    .append(i % 3 == 0 ? "sse" : "streamable-http")
                    .append('\n')
                    .append("description: Tools for domain number ")
                    .append(i)
                    .append(", with lookups, reports and updates for the teams that own it.\n")
                    .append("enabled: ")
                    .append(i % 10 != 0)
                    .append('\n')
                    .append("tags: [team-")
                    .append(i % 40)
                    .append(", domain-")
                    .append(i % 7)
                    .append(", tools]\n")
                    .append("license: Apache-2.0\nversion: \"1.")
                    .append(i % 20)
                    .append(".0\"\n")
                    .append("owner:\n  name: Team ")
                    .append(i % 40)
                    .append("\n  email: team")
                    .append(i % 40)
                    .append("@example.com\n");
            if (replicated) {
                yaml.append("replicas: [\"10.1.")
                        .append(i / 256 % 256)
                        .append('.')
                        .append(i % 256)
                        .append(":8080\", \"10.2.")
                        .append(i / 256 % 256)
                        .append('.')
                        .append(i % 256)
                        .append(":8080\"]\n");
            }
            Files.writeString(directory.resolve(id + ".yaml"), yaml);
        }
        return directory;
    }

    static void delete(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
