package io.jzram.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * iSCSI portals as people write them, for {@code serve --listen/--advertise} and the
 * configuration file's {@code listen} and {@code advertise}: {@code HOST}, {@code HOST:PORT},
 * {@code [IPV6]:PORT}; the port defaults to 3260.
 */
public final class Portals {
    /**
     * iSCSI's port (IANA, RFC 7143 §13.12), for a portal written without one. The target has the
     * same constant ({@code IscsiServerSettings.DEFAULT_PORT}); it is named here again rather than
     * imported so that config depends on core only, and not put in core, which knows nothing of
     * iSCSI. The cli, which sees both, has a test that they agree.
     */
    public static final int DEFAULT_PORT = 3260;

    private Portals() {}

    /**
     * Parses a portal.
     *
     * @param wildcardAllowed whether 0.0.0.0 / [::] may be given (listening: yes; advertising: no)
     * @throws IllegalArgumentException with the reason alone ({@code missing ']'}, {@code bad port '99999'}),
     *     for the caller to prefix with what was being parsed
     */
    public static InetSocketAddress parse(String text, boolean wildcardAllowed) {
        String host = text;
        int port = DEFAULT_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected HOST:PORT");
                }
                port = port(rest.substring(1));
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                if (text.indexOf(':') != colon) {
                    throw new IllegalArgumentException("put an IPv6 address in brackets: [ADDRESS]:PORT");
                }
                host = text.substring(0, colon);
                port = port(text.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host);
        }
        if (!wildcardAllowed && address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("cannot advertise a wildcard address");
        }
        return new InetSocketAddress(address, port);
    }

    private static int port(String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + port + "'");
        }
    }

    /** The form {@link #parse} reads back: {@code 127.0.0.1:3260}, {@code [::1]:3260}, {@code 0.0.0.0:3260}. */
    public static String format(InetSocketAddress a) {
        InetAddress address = a.getAddress();
        String host = address == null ? a.getHostString() : address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return host + ":" + a.getPort();
    }
}
