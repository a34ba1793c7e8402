package dev.mcpgw.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessValidatorTest {

    private static final Set<String> REGISTERED = Set.of("fininfo", "currenttime");
    private final AccessValidator validator = new AccessValidator();

    private AccessValidator.Result validate(String yaml) {
        return validator.validate(new SourceFile("access.yaml", yaml.getBytes(StandardCharsets.UTF_8)), REGISTERED);
    }

    @Test
    void readsGroupsGrantsAndOperationsAndDeniesWhatIsNotGranted() {
        AccessValidator.Result result = validate("""
                groups:
                  analysts:
                    description: Market research.
                    servers:
                      fininfo: {tools: [get_quote]}
                      currenttime: {tools: "*"}
                    registry: [refresh]
                  platform:
                    servers:
                      "*": {tools: "*"}
                    registry: [register, toggle, edit, delete, refresh]
                """);
        assertThat(result.problems()).isEmpty();
        AccessPolicy policy = result.policy();
        assertThat(policy.mayCall(Set.of("analysts"), "fininfo", "get_quote")).isTrue();
        assertThat(policy.mayCall(Set.of("analysts"), "fininfo", "place_order")).isFalse();
        assertThat(policy.mayCall(Set.of("analysts"), "currenttime", "anything"))
                .isTrue();
        assertThat(policy.mayReach(Set.of("analysts"), "weather")).isFalse();
        assertThat(policy.mayReach(Set.of("platform"), "weather")).isTrue();
        assertThat(policy.mayUse(Set.of("analysts"), AccessPolicy.Operation.REFRESH))
                .isTrue();
        assertThat(policy.mayUse(Set.of("analysts"), AccessPolicy.Operation.TOGGLE))
                .isFalse();
        assertThat(policy.mayReach(Set.of("nobody"), "fininfo")).isFalse();
        assertThat(AccessPolicy.DENY_ALL.mayReach(Set.of("platform"), "fininfo"))
                .isFalse();
    }

    @Test
    void everyMistakeIsNamedWithItsPlace() {
        AccessValidator.Result result = validate("""
                groups:
                  Analysts:
                    servers:
                      fininfo: {tools: [get_quote]}
                  ops:
                    servers:
                      fininf0: {tools: "*"}
                      currenttime: {tools: []}
                    registry: [reboot]
                  web:
                    server: {}
                """);
        assertThat(result.policy()).isNull();
        assertThat(result.problems())
                .extracting(Problem::toString)
                .anySatisfy(line -> assertThat(line)
                        .isEqualTo("access.yaml:2:3: groups: 'Analysts': group names are 1-64 lower-case "
                                + "letters, digits, '.', '_' or '-'"))
                .anySatisfy(line -> assertThat(line)
                        .isEqualTo("access.yaml:8:28: groups.ops.servers.currenttime.tools: "
                                + "must be \"*\" for every tool the server offers, or the names of the tools allowed."))
                .anySatisfy(line -> assertThat(line).contains("reboot"))
                .anySatisfy(line -> assertThat(line).contains("server").contains("did you mean 'servers'"));
    }

    @Test
    void aGrantToAServerThatIsNotRegisteredIsAnError() {
        AccessValidator.Result result = validate("""
                groups:
                  ops:
                    servers:
                      fininf0: {tools: "*"}
                """);
        assertThat(result.problems())
                .extracting(Problem::toString)
                .containsExactly("access.yaml:4:7: groups.ops.servers: grants server 'fininf0', which is not "
                        + "registered in servers/; fix the id or remove the grant");
    }

    @Test
    void unsafeYamlIsRefusedLikeAnEntry() {
        assertThat(validate("groups: &a {x: *a}\n").problems()).hasSize(1);
        assertThat(validate("groups:\n  ops:\n    description: \"line\\nbreak\"\n")
                        .problems()
                        .get(0)
                        .toString())
                .contains("one line");
        assertThat(validate("[]\n").problems()).isNotEmpty();
    }
}
