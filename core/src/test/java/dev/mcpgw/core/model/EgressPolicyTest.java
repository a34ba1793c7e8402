package dev.mcpgw.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The red team's list of ways to name this machine or a metadata service is the floor, not the ceiling. */
class EgressPolicyTest {

    private static final EgressPolicy STRICT =
            EgressPolicy.strict(List.of(), List.of(new HostPort("127.0.0.1", 7860), new HostPort("0.0.0.0", 8080)));

    @Test
    void refusesEveryFormOfThisMachineMetadataAndHiddenAddresses() {
        for (String url : List.of(
                "http://127.0.0.1:7860",
                "http://127.0.0.1:9",
                "http://127.9.9.9",
                "http://localhost:8080",
                "http://LOCALHOST",
                "http://api.localhost",
                "http://169.254.169.254/latest/meta-data",
                "http://169.254.1.1",
                "http://metadata.google.internal",
                "http://[::1]:7860",
                "http://[::]",
                "http://[::ffff:127.0.0.1]",
                "http://[::ffff:7f00:1]",
                "http://[0:0:0:0:0:ffff:8.8.8.8]",
                "http://[::127.0.0.1]",
                "http://[fe80::1]",
                "http://[fd00:ec2::254]",
                "http://0.0.0.0",
                "http://2130706433",
                "http://0177.0.0.1",
                "http://0x7f.0.0.1",
                "http://0x7f000001",
                "http://127.1",
                "http://017700000001",
                "http://255.255.255.255",
                "http://224.0.0.1",
                "http://0.1.2.3",
                "http://100.100.100.200",
                "http://168.63.129.16",
                "http://[64:ff9b::7f00:1]",
                "http://[2002:7f00:1::1]")) {
            assertThat(STRICT.refusal(UpstreamUrl.parse(url))).as(url).isPresent();
        }
    }

    @Test
    void allowsOrdinaryAndPrivateAddressesAndNames() {
        for (String url : List.of(
                "http://10.0.0.5:8000",
                "http://192.168.1.20",
                "http://172.16.0.9",
                "https://mcp.example.com/api",
                "http://[fd12:3456::1]",
                "http://8.8.8.8",
                "http://host-1.internal")) {
            assertThat(STRICT.refusal(UpstreamUrl.parse(url))).as(url).isEmpty();
        }
    }

    @Test
    void theOperatorMayAllowANetworkOrAHostButNeverTheRuntimesOwnListener() {
        EgressPolicy local = EgressPolicy.strict(
                List.of("127.0.0.1/32", "localhost", "[::1]/128"),
                List.of(new HostPort("127.0.0.1", 7860), new HostPort("127.0.0.1", 8080)));
        assertThat(local.refusal(UpstreamUrl.parse("http://127.0.0.1:8001"))).isEmpty();
        assertThat(local.refusal(UpstreamUrl.parse("http://localhost:8001"))).isEmpty();
        assertThat(local.refusal(UpstreamUrl.parse("http://[::1]:8001"))).isEmpty();
        assertThat(local.refusal(UpstreamUrl.parse("http://127.0.0.2:8001")))
                .as("only the network allowed")
                .isPresent();
        assertThat(local.refusal(UpstreamUrl.parse("http://127.0.0.1:7860")))
                .get()
                .asString()
                .contains("own listener");
        assertThat(local.refusal(UpstreamUrl.parse("http://127.0.0.1:8080/anything")))
                .isPresent();
        assertThat(local.refusal(UpstreamUrl.parse("http://127.0.0.1:7860/mcpgw")))
                .as("the runtime's own MCP server is the one upstream on its listener")
                .isEmpty();
        assertThat(local.refusal(UpstreamUrl.parse("http://2130706433")))
                .as("hidden forms stay refused")
                .isPresent();
        assertThat(local.refusal(new HostPort("169.254.169.254", 80))).isPresent();
    }

    @Test
    void resolvedAddressesAreCheckedToo() throws Exception {
        assertThat(STRICT.refusal(InetAddress.getByName("127.0.0.1"), 80)).isPresent();
        assertThat(STRICT.refusal(InetAddress.getByName("10.1.2.3"), 80)).isEmpty();
        assertThat(EgressPolicy.UNCHECKED.refusal(InetAddress.getByName("127.0.0.1"), 80))
                .isEmpty();
    }

    @Test
    void anAllowanceThatIsNeitherANetworkNorAHostIsRefusedByName() {
        assertThatThrownBy(() -> EgressPolicy.strict(List.of("127.0.0.1/99"), List.of()))
                .isInstanceOfSatisfying(
                        FieldException.class, e -> assertThat(e.field()).isEqualTo("allowed"));
        assertThatThrownBy(() -> EgressPolicy.strict(List.of("0x7f.1"), List.of()))
                .isInstanceOf(FieldException.class);
    }
}
