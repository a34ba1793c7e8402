package dev.mcpgw.core.access;

import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.YamlSchema;
import dev.mcpgw.core.yaml.JsonPointers;
import dev.mcpgw.core.yaml.SafeYamlReader;
import dev.mcpgw.core.yaml.YamlDocument;
import dev.mcpgw.core.yaml.YamlSyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks {@code access.yaml}: safe YAML, {@code schema/access.schema.json}, and that every server it grants is
 * registered (a grant to a server that does not exist is almost always a typo that silently denies access).
 */
public final class AccessValidator {

    public static final String FILE = "access.yaml";

    private final SafeYamlReader reader = new SafeYamlReader();
    private final YamlSchema schema = YamlSchema.load(YamlSchema.ACCESS);

    /** The policy (null when there are problems) and every problem found. */
    public record Result(AccessPolicy policy, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /** @param registered the ids of the servers in the registry */
    public Result validate(SourceFile source, Set<String> registered) {
        String file = source.shownAs();
        YamlDocument document;
        try {
            document = reader.read(source.bytes());
        } catch (YamlSyntaxException e) {
            return new Result(null, List.of(new Problem(file, e.position(), "", e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>(schema.check(file, document, new LinkedHashSet<>()));
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        Map<String, AccessPolicy.Group> groups = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> group : document.root().path("groups").properties()) {
            String groupPointer = JsonPointers.child("/groups", group.getKey());
            Map<String, AccessPolicy.ToolGrant> servers = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> server :
                    group.getValue().path("servers").properties()) {
                String id = server.getKey();
                String serverPointer = JsonPointers.child(JsonPointers.child(groupPointer, "servers"), id);
                if (!id.equals(AccessPolicy.EVERY_SERVER) && !registered.contains(id)) {
                    problems.add(new Problem(
                            file,
                            document.positionOfKey(serverPointer),
                            "groups." + group.getKey() + ".servers",
                            "grants server '" + id + "', which is not registered in servers/; "
                                    + "fix the id or remove the grant"));
                }
                JsonNode tools = server.getValue().path("tools");
                Set<String> named = new LinkedHashSet<>();
                tools.forEach(tool -> named.add(tool.asString()));
                servers.put(id, new AccessPolicy.ToolGrant(tools.isString(), named));
            }
            Set<AccessPolicy.Operation> operations = EnumSet.noneOf(AccessPolicy.Operation.class);
            group.getValue()
                    .path("registry")
                    .forEach(operation -> operations.add(
                            AccessPolicy.Operation.valueOf(operation.asString().toUpperCase(Locale.ROOT))));
            JsonNode description = group.getValue().path("description");
            groups.put(
                    group.getKey(),
                    new AccessPolicy.Group(
                            group.getKey(),
                            description.isString() ? description.asString() : null,
                            servers,
                            operations));
        }
        return new Result(problems.isEmpty() ? new AccessPolicy(groups) : null, problems);
    }
}
