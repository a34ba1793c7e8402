package dev.mcpgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Kubernetes manifests, loaded with the Kubernetes model (fabric8) as a cluster would read them: every field
 * must be one the model knows (a typo is an unknown field, which kubectl would drop or refuse), and the pieces
 * must fit together - services select pods, ports and secrets are the ones named, and the mcpgw command lines
 * are ones mcpgw accepts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("kubernetes");

    private final List<HasMetadata> objects = new ArrayList<>();

    @BeforeAll
    void load() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                for (String document : Files.readString(file).split("(?m)^---$")) {
                    if (document.lines()
                            .allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
                        continue;
                    }
                    KubernetesResource resource = Serialization.unmarshal(document);
                    assertThat(resource).as(file + ": a Kubernetes object").isInstanceOf(HasMetadata.class);
                    List<String> unknown = new ArrayList<>();
                    unknownFields(resource, resource.getClass().getSimpleName(), unknown);
                    assertThat(unknown)
                            .as(file + ": fields the Kubernetes model does not know")
                            .isEmpty();
                    objects.add((HasMetadata) resource);
                }
            }
        }
    }

    @Test
    void theStackIsAGatewayARuntimeAndOneProbeAgent() {
        assertThat(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()))
                .contains(
                        "Deployment/mcpgw-gateway",
                        "Deployment/mcpgw-runtime",
                        "Deployment/mcpgw-probe",
                        "Service/mcpgw-gateway",
                        "Service/mcpgw-runtime",
                        "ConfigMap/mcpgw-gateway-config");
        assertThat(deployment("mcpgw-runtime").getSpec().getReplicas())
                .as("stateless replicas")
                .isGreaterThan(1);
        Deployment probe = deployment("mcpgw-probe");
        assertThat(probe.getSpec().getReplicas())
                .as("one writer of the status branch")
                .isEqualTo(1);
        assertThat(probe.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void servicesSelectTheirPodsAndNamedPortsExist() {
        for (HasMetadata object : objects) {
            if (!(object instanceof Service service)) {
                continue;
            }
            Deployment target = objects.stream()
                    .filter(Deployment.class::isInstance)
                    .map(Deployment.class::cast)
                    .filter(d -> d.getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels()
                            .entrySet()
                            .containsAll(service.getSpec().getSelector().entrySet()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(service.getMetadata().getName() + " selects no pods"));
            Set<String> ports = target.getSpec().getTemplate().getSpec().getContainers().stream()
                    .flatMap(c -> c.getPorts().stream())
                    .map(p -> p.getName())
                    .collect(Collectors.toSet());
            service.getSpec()
                    .getPorts()
                    .forEach(port -> assertThat(ports)
                            .as(service.getMetadata().getName() + " targets a named port")
                            .contains(port.getTargetPort().getStrVal()));
        }
    }

    @Test
    void theGatewayMountsItsConfigMapAndTheRuntimeItsSecrets() {
        PodSpec gateway = deployment("mcpgw-gateway").getSpec().getTemplate().getSpec();
        assertThat(gateway.getVolumes().get(0).getProjected().getSources())
                .anySatisfy(
                        source -> assertThat(source.getConfigMap().getName()).isEqualTo("mcpgw-gateway-config"));
        assertThat(gateway.getContainers().get(0).getArgs()).containsExactly("-c", "/etc/mcpgw/nginx.conf");
        Container reloader = gateway.getContainers().get(1);
        assertThat(String.join(" ", reloader.getCommand()))
                .as("a changed config is tested, then loaded")
                .contains("nginx -t $conf; then nginx -s reload $conf");
        assertThat(gateway.getShareProcessNamespace())
                .as("the reloader can signal nginx's master")
                .isTrue();
        assertThat(reloader.getVolumeMounts())
                .extracting(mount -> mount.getMountPath())
                .containsExactlyElementsOf(gateway.getContainers().get(0).getVolumeMounts().stream()
                        .map(mount -> mount.getMountPath())
                        .toList());
        Container runtime = deployment("mcpgw-runtime")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(runtime.getEnv().stream()
                        .filter(e -> e.getValueFrom() != null)
                        .map(e -> e.getName()))
                .contains("SECRET_KEY", "ADMIN_PASSWORD");
    }

    @Test
    void theContainersRunCommandLinesMcpgwAccepts() {
        for (String name : List.of("mcpgw-runtime", "mcpgw-probe")) {
            Container container = deployment(name)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            CommandLines.assertAccepted(container.getArgs(), "kubernetes " + name);
        }
    }

    @Test
    void podsThatReachMcpServersCannotReachTheCloudsInstanceMetadata() {
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy = objects.stream()
                .filter(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class::cast)
                .findFirst()
                .orElseThrow();
        for (String component : List.of("gateway", "probe")) {
            Map<String, String> labels = deployment("mcpgw-" + component)
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getLabels();
            assertThat(policy.getSpec().getPodSelector().getMatchExpressions())
                    .as("the policy selects the %s's pods", component)
                    .anySatisfy(
                            expression -> assertThat(expression.getValues()).contains(labels.get(expression.getKey())));
        }
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(policy.getSpec().getEgress())
                .as("DNS stays reachable wherever the cluster serves it (NodeLocal DNSCache is link-local)")
                .anySatisfy(rule -> assertThat(rule.getPorts())
                        .extracting(port ->
                                port.getProtocol() + "/" + port.getPort().getIntVal())
                        .contains("UDP/53", "TCP/53"));
        List<String> blocks = policy.getSpec().getEgress().stream()
                .flatMap(rule -> rule.getTo().stream())
                .filter(peer -> peer.getIpBlock() != null)
                .flatMap(peer -> peer.getIpBlock().getExcept().stream())
                .toList();
        assertThat(blocks)
                .contains(
                        "169.254.0.0/16",
                        "100.100.100.200/32",
                        "168.63.129.16/32",
                        "fd00:ec2::254/128",
                        "fd20:ce::254/128");
        assertThat(policy.getSpec().getEgress().stream()
                        .flatMap(rule -> rule.getTo().stream())
                        .filter(peer -> peer.getIpBlock() != null)
                        .map(peer -> peer.getIpBlock().getCidr()))
                .as("every other address stays reachable: MCP servers live anywhere")
                .containsExactlyInAnyOrder("0.0.0.0/0", "::/0");
    }

    @Test
    void kustomizationListsEveryManifest() throws Exception {
        String kustomization = Files.readString(DIR.resolve("kustomization.yaml"));
        try (Stream<Path> files = Files.list(DIR)) {
            files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml"))
                    .filter(f -> !f.equals("kustomization.yaml"))
                    .forEach(f -> assertThat(kustomization).contains("- " + f));
        }
    }

    private Deployment deployment(String name) {
        return objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Every additionalProperties entry anywhere in the object: fields the model did not recognise. */
    private static void unknownFields(Object value, String path, List<String> unknown) throws Exception {
        if (value == null
                || value instanceof String
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                unknownFields(entry.getValue(), path + "." + entry.getKey(), unknown);
            }
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (PropertyDescriptor property :
                Introspector.getBeanInfo(value.getClass()).getPropertyDescriptors()) {
            Method getter = property.getReadMethod();
            if (getter == null
                    || getter.getParameterCount() != 0
                    || property.getName().equals("class")) {
                continue;
            }
            Object child = getter.invoke(value);
            if (property.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                extra.keySet().forEach(key -> unknown.add(path + "." + key));
            } else {
                unknownFields(child, path + "." + property.getName(), unknown);
            }
        }
    }
}
