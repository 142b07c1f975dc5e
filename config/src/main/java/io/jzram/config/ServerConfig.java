package io.jzram.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code [server]} table: settings that take effect when the server starts. Each field is
 * null when the file does not give it (then {@code serve}'s option or the built-in default
 * applies; see the README's precedence rules).
 *
 * @param listen the iSCSI portal to bind ({@code listen})
 * @param advertise the portals SendTargets announces ({@code advertise}); null = not given
 * @param iqn the target's name ({@code iqn})
 * @param controlSocket the control socket, an absolute path ({@code control_socket})
 * @param logLevel {@code log_level}
 * @param allowAnyInitiator {@code allow_any_initiator}: listen beyond loopback with no
 *     {@code [[initiator]]} entry (any initiator may then log in)
 * @param maxConnections {@code max_connections}: iSCSI connections at once, logged in or not
 * @param maxConnectionsPerAddress {@code max_connections_per_address}: the same, from one source address
 * @param positions where each key's value is in the file (empty for a live server's settings)
 */
public record ServerConfig(InetSocketAddress listen, List<InetSocketAddress> advertise, String iqn,
        Path controlSocket, LogLevel logLevel, Boolean allowAnyInitiator, Integer maxConnections,
        Integer maxConnectionsPerAddress, Map<String, Position> positions) {

    /** No settings: everything from options or defaults. */
    public static final ServerConfig EMPTY = new ServerConfig(null, null, null, null, null, null, null, null, Map.of());

    public ServerConfig {
        advertise = advertise == null ? null : List.copyOf(advertise);
        positions = Map.copyOf(positions);
    }

    /** The same settings without positions (what a running server reports). */
    public static ServerConfig of(InetSocketAddress listen, List<InetSocketAddress> advertise, String iqn, Path controlSocket,
            LogLevel logLevel) {
        return new ServerConfig(listen, advertise, iqn, controlSocket, logLevel, null, null, null, Map.of());
    }

    /** A running server's settings, its access and connection limits included. */
    public static ServerConfig of(InetSocketAddress listen, List<InetSocketAddress> advertise, String iqn, Path controlSocket,
            LogLevel logLevel, Boolean allowAnyInitiator, Integer maxConnections, Integer maxConnectionsPerAddress) {
        return new ServerConfig(listen, advertise, iqn, controlSocket, logLevel, allowAnyInitiator, maxConnections,
                maxConnectionsPerAddress, Map.of());
    }

    public boolean isEmpty() {
        return listen == null && advertise == null && iqn == null && controlSocket == null && logLevel == null
                && allowAnyInitiator == null && maxConnections == null && maxConnectionsPerAddress == null;
    }

    /** Where {@code key}'s value is, or null. */
    public Position position(String key) {
        return positions.get(key);
    }
}
