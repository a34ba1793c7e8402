package dev.mcpgw.core.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which upstreams the gateway and the probe may reach (SSRF): never this machine (loopback, {@code localhost}),
 * link-local and cloud metadata addresses, unspecified, multicast or broadcast addresses, IPv4 addresses written
 * inside IPv6 ({@code [::ffff:127.0.0.1]}), IPv4 literals in any but the canonical dotted form
 * ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}), nor the gateway's and runtime's own listeners -
 * unless the operator allows a network or a host name explicitly ({@code --allow-upstream}). Private networks
 * (10/8, 172.16/12, 192.168/16, fc00::/7) are where an organisation's MCP servers live, and are allowed.
 *
 * <p>Checked on the URL when an entry is validated (a pull request, a registration, an edit), and again on every
 * address a host name resolves to when the probe connects, so a name that resolves (or rebinds) to a refused
 * address is refused too.
 *
 * @param enforced      false where the deployment is not known: nothing is refused
 * @param allowed       networks the operator allows despite the rules above
 * @param allowedHosts  host names the operator allows ({@code localhost}, a metadata name), lower-case
 * @param ownListeners  the gateway's and the runtime's own addresses: never an upstream, except the runtime's
 *                      {@code /mcpgw} MCP server
 */
public record EgressPolicy(
        boolean enforced, List<Network> allowed, Set<String> allowedHosts, List<HostPort> ownListeners) {

    /** Nothing is refused: for code paths that do not deploy (tests, tools that only read). */
    public static final EgressPolicy UNCHECKED = new EgressPolicy(false, List.of(), Set.of(), List.of());

    /** The path of the runtime's own MCP server, the one upstream allowed on the runtime's listener. */
    public static final String RUNTIME_MCP_PATH = "/mcpgw";

    private static final Set<String> LOCAL_NAMES = Set.of(
            "localhost",
            "localhost.localdomain",
            "ip6-localhost",
            "ip6-loopback",
            "metadata",
            "metadata.google.internal",
            "instance-data",
            "instance-data.ec2.internal");
    private static final Pattern NUMERIC_HOST =
            Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CANONICAL_IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    public EgressPolicy {
        allowed = List.copyOf(allowed);
        allowedHosts = Set.copyOf(
                allowedHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).toList());
        ownListeners = List.copyOf(ownListeners);
    }

    /**
     * The operator's choice: refuse what the rules refuse except {@code allowances} (networks such as
     * {@code 127.0.0.1/32} or {@code 10.0.0.0/8}, addresses, or host names), and never {@code ownListeners}.
     */
    public static EgressPolicy strict(List<String> allowances, List<HostPort> ownListeners) {
        List<Network> networks = new java.util.ArrayList<>();
        Set<String> hosts = new java.util.HashSet<>();
        for (String allowance : allowances) {
            Optional<Network> network = Network.parse(allowance);
            if (network.isPresent()) {
                networks.add(network.get());
            } else if (Syntax.HOST.matcher(allowance).matches()
                    && !NUMERIC_HOST.matcher(allowance).matches()) {
                hosts.add(allowance);
            } else {
                throw new FieldException(
                        "allowed",
                        "'" + allowance + "' is neither a network (10.0.0.0/8, "
                                + "127.0.0.1/32, [::1]/128), an address nor a host name");
            }
        }
        return new EgressPolicy(true, networks, hosts, ownListeners);
    }

    /** This policy, also refusing {@code listeners} (the gateway's and runtime's own, once they are known). */
    public EgressPolicy withOwnListeners(List<HostPort> listeners) {
        List<HostPort> all = new java.util.ArrayList<>(ownListeners);
        all.addAll(listeners);
        return new EgressPolicy(enforced, allowed, allowedHosts, all);
    }

    /** Why the gateway may not forward to {@code url}, or empty when it may. */
    public Optional<String> refusal(UpstreamUrl url) {
        return refusal(url.host(), url.port(), url.basePath());
    }

    /** Why the gateway may not forward to a replica at {@code address}, or empty when it may. */
    public Optional<String> refusal(HostPort address) {
        return refusal(address.host(), address.port(), "");
    }

    private Optional<String> refusal(String host, int port, String basePath) {
        if (!enforced) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(name)) {
            return Optional.empty();
        }
        if (NUMERIC_HOST.matcher(name).matches()
                && !CANONICAL_IPV4.matcher(name).matches()) {
            return Optional.of(host + " is not an IPv4 address in its usual form; write the four decimal parts "
                    + "without leading zeros (numeric, octal and hexadecimal forms are refused: they hide the "
                    + "address)");
        }
        boolean literal = name.startsWith("[") || CANONICAL_IPV4.matcher(name).matches();
        if (!literal) {
            if (LOCAL_NAMES.contains(name) || name.endsWith(".localhost")) {
                return Optional.of(host + " names this machine or a cloud metadata service; " + allow(host));
            }
            return Optional.empty(); // a name: its addresses are checked when they are connected to
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(name.startsWith("[") ? name.substring(1, name.length() - 1) : name);
        } catch (UnknownHostException e) {
            return Optional.of(host + " is not an IP address");
        }
        if (name.startsWith("[") && address instanceof Inet4Address) {
            // Java reads [::ffff:a.b.c.d] as a.b.c.d: the IPv6 form only hides an IPv4 address.
            return Optional.of(host + " is an IPv4 address written inside IPv6 (refused whatever it points at: write "
                    + "the IPv4 address)");
        }
        return refusal(address, port, basePath);
    }

    /** Why an upstream at {@code address} (a host name resolved) may not be reached, or empty when it may. */
    public Optional<String> refusal(InetAddress address, int port) {
        return enforced ? refusal(address, port, "") : Optional.empty();
    }

    /**
     * Why {@code url}'s host, resolved to {@code address}, may not be reached, or empty when it may: as
     * {@link #refusal(InetAddress, int)}, with the runtime's own {@code /mcpgw} server allowed on its listener.
     */
    public Optional<String> refusal(InetAddress address, UpstreamUrl url) {
        return enforced ? refusal(address, url.port(), url.basePath()) : Optional.empty();
    }

    private Optional<String> refusal(InetAddress address, int port, String basePath) {
        String shown =
                address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        for (HostPort listener : ownListeners) {
            if (listener.port() == port
                    && sameHost(listener.host(), address)
                    && !(basePath.equals(RUNTIME_MCP_PATH) || basePath.startsWith(RUNTIME_MCP_PATH + "/"))) {
                return Optional.of(shown + ":" + port + " is the gateway's or the runtime's own listener; only the "
                        + "runtime's " + RUNTIME_MCP_PATH + " MCP server may be registered there");
            }
        }
        if (allowed.stream().anyMatch(network -> network.contains(address))) {
            return Optional.empty();
        }
        String why = category(address);
        return why == null ? Optional.empty() : Optional.of(shown + " is " + why + "; " + allow(shown));
    }

    private static String allow(String host) {
        return "the operator may allow it with --allow-upstream " + host;
    }

    /** What makes an address internal, or null for an ordinary one. */
    private static String category(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff && allZero(bytes, 0, 10);
            boolean compatible = allZero(bytes, 0, 12) && !address.isAnyLocalAddress() && !address.isLoopbackAddress();
            boolean nat64 = (bytes[0] & 0xff) == 0x00
                    && (bytes[1] & 0xff) == 0x64
                    && (bytes[2] & 0xff) == 0xff
                    && (bytes[3] & 0xff) == 0x9b
                    && allZero(bytes, 4, 12);
            boolean sixToFour = (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02;
            if (mapped || compatible || nat64 || sixToFour) {
                return "an IPv4 address written inside IPv6 (refused whatever it points at: write the IPv4 address)";
            }
            if (address.getHostAddress().startsWith("fd00:ec2:0:0:0:0:0:254")) {
                return "a cloud metadata address";
            }
        } else if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            if (first == 169 && (bytes[1] & 0xff) == 254) {
                return (bytes[2] & 0xff) == 169 && (bytes[3] & 0xff) == 254
                        ? "the cloud metadata address"
                        : "a link-local address";
            }
            if (first == 0) {
                return "an unspecified address";
            }
            if (first == 100 && (bytes[1] & 0xff) == 100 && (bytes[2] & 0xff) == 100 && (bytes[3] & 0xff) == 200
                    || first == 168 && (bytes[1] & 0xff) == 63 && (bytes[2] & 0xff) == 129 && (bytes[3] & 0xff) == 16) {
                return "a cloud metadata address";
            }
            if (allOnes(bytes)) {
                return "the broadcast address";
            }
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address (this machine: the runtime, the gateway and anything else listening here)";
        }
        if (address.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        return null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allOnes(byte[] bytes) {
        for (byte b : bytes) {
            if (b != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameHost(String listenHost, InetAddress address) {
        try {
            InetAddress listen = InetAddress.getByName(
                    listenHost.startsWith("[") ? listenHost.substring(1, listenHost.length() - 1) : listenHost);
            return listen.equals(address)
                    || listen.isAnyLocalAddress() && (address.isLoopbackAddress() || address.isAnyLocalAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A network in CIDR form: an address and how many leading bits are fixed. */
    public record Network(InetAddress address, int prefix) {

        /** {@code 10.0.0.0/8}, {@code 127.0.0.1} (one address), {@code [::1]/128}; empty when not a network. */
        public static Optional<Network> parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            boolean v4 = CANONICAL_IPV4.matcher(host).matches();
            if (!v4 && !host.contains(":")) {
                return Optional.empty();
            }
            try {
                InetAddress address = InetAddress.getByName(host);
                int bits = address.getAddress().length * 8;
                int prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > bits) {
                    return Optional.empty();
                }
                return Optional.of(new Network(address, prefix));
            } catch (UnknownHostException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        public boolean contains(InetAddress candidate) {
            byte[] network = address.getAddress();
            byte[] other = candidate.getAddress();
            if (network.length != other.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((network[bit / 8] & mask) != (other[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return (address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                    + "/" + prefix;
        }
    }
}
