package io.switchboard.account;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where a sign-in comes from, as failed sign-ins are counted by it: the peer's IP address, or behind a
 * proxy the forwarded one, which Quarkus puts in its place only when told to trust that proxy
 * ({@code quarkus.http.proxy.*}, docs/security.md). An IPv6 address counts by its /64 network, as one
 * client is usually given a whole /64.
 */
record ClientAddress(String key) {

    private static final int IPV6_NETWORK_BYTES = 8;
    /** Dotted IPv4 or IPv6 (hex and colons, perhaps an embedded IPv4): parsed without any name look-up. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|(?=.*:)[0-9A-Fa-f:.]{2,45}");

    static ClientAddress of(SocketAddress peer) {
        if (peer == null || peer.hostAddress() == null) {
            return new ClientAddress("unknown");
        }
        String host = peer.hostAddress();
        if (!IP_LITERAL.matcher(host).matches()) {
            // Not an IP literal (a forwarded obfuscated name, a Unix socket path): counted as it is.
            return new ClientAddress(host.length() > 64 ? host.substring(0, 64) : host);
        }
        try {
            byte[] bytes = InetAddress.getByName(host).getAddress();
            if (bytes.length == 16) {
                byte[] network = new byte[16];
                System.arraycopy(bytes, 0, network, 0, IPV6_NETWORK_BYTES);
                return new ClientAddress(InetAddress.getByAddress(network).getHostAddress() + "/64");
            }
            return new ClientAddress(InetAddress.getByAddress(bytes).getHostAddress());
        } catch (UnknownHostException e) {
            return new ClientAddress(host.length() > 64 ? host.substring(0, 64) : host);
        }
    }
}
