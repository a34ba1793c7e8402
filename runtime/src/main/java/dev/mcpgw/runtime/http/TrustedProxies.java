package dev.mcpgw.runtime.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose forwarded headers ({@code X-Real-IP}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host})
 * the runtime believes: the gateways in front of it, as addresses or CIDR blocks. From anyone else those headers
 * could be forged, so they are ignored. None by default; {@code mcpgw up} and {@code serve --apply}, which run
 * the gateway on this machine, trust loopback.
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1");

    private final List<Block> blocks;

    private record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code fd00::/8}, {@code ::1}: IP literals only (no name is
     * resolved).
     *
     * @throws IllegalArgumentException naming the value that is not an address or block
     */
    public static TrustedProxies of(List<String> values) {
        List<Block> blocks = new ArrayList<>();
        for (String value : values) {
            String trimmed = value.strip();
            int slash = trimmed.indexOf('/');
            String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
            if (!address.matches("[0-9.]{7,15}|[0-9A-Fa-f:.]{2,45}")
                    || !address.contains(".") && !address.contains(":")) {
                throw new IllegalArgumentException(
                        "'" + value + "' is not an IP address or CIDR block " + "(for example 10.0.0.0/8 or ::1)");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + value + "' is not an IP address or CIDR block");
            }
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(trimmed.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException(
                            "'" + value + "': the prefix length must be 0-" + network.length * 8);
                }
            }
            blocks.add(new Block(network, bits));
        }
        return new TrustedProxies(blocks);
    }

    /** Whether the peer at {@code address} (an IP literal, as the servlet container gives it) is trusted. */
    public boolean trusts(String address) {
        if (blocks.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes;
        try {
            String literal = address.startsWith("[") && address.endsWith("]")
                    ? address.substring(1, address.length() - 1)
                    : address;
            if (!literal.matches("[0-9A-Fa-f:.%a-z]{2,60}")) {
                return false;
            }
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }
}
