package io.jzram.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a live configuration in the file format, for {@code jzram save-config}: the server's
 * settings and every device, set up or not. The output is canonical (fixed key order, sizes in
 * their exact short form, nothing that changes between two runs), so that save → apply on a fresh
 * server → save gives the same text. Keys at their default are left out where the default is
 * the server's own (streams: one per CPU; mem_limit: none), so a saved file moves to a machine
 * with other CPUs and means "the default" there too; {@code exported} is written only for an
 * unexported device ({@code exported = false}: the default, true, is left out).
 */
public final class ConfigWriter {
    private ConfigWriter() {}

    /**
     * @param server the running server's settings, or null to write no [server] table
     * @param devices the devices, any order
     * @param defaultStreams a device's streams when not set
     */
    public static String write(ServerConfig server, List<LiveDevice> devices, int defaultStreams) {
        StringBuilder b = new StringBuilder();
        b.append("# jzram configuration, written by 'jzram save-config'.\n");
        b.append("# Start a server with it: jzram serve --config FILE; change one to it: jzram apply FILE.\n");
        if (server != null && !server.isEmpty()) {
            b.append("\n[server]\n");
            if (server.listen() != null) {
                b.append("listen = ").append(str(Portals.format(server.listen()))).append('\n');
            }
            if (server.advertise() != null && !server.advertise().isEmpty()) {
                b.append("advertise = [").append(server.advertise().stream().map(a -> str(Portals.format(a)))
                        .collect(Collectors.joining(", "))).append("]\n");
            }
            if (server.iqn() != null) {
                b.append("iqn = ").append(str(server.iqn())).append('\n');
            }
            if (server.controlSocket() != null) {
                b.append("control_socket = ").append(str(server.controlSocket().toString())).append('\n');
            }
            if (server.logLevel() != null) {
                b.append("log_level = ").append(str(server.logLevel().text())).append('\n');
            }
        }
        devices.stream().sorted(java.util.Comparator.comparingInt(LiveDevice::id)).forEach(d -> {
            DeviceSettings s = d.settings();
            b.append("\n[[device]]\n");
            b.append("id = ").append(d.id()).append('\n');
            b.append("size = ").append(s.isSetUp() ? str(Sizes.format(s.size())) : "0").append(s.isSetUp() ? "" : "  # not set up").append('\n');
            b.append("algorithm = ").append(str(s.algorithm())).append('\n');
            if (s.memLimit() != 0) {
                b.append("mem_limit = ").append(str(Sizes.format(s.memLimit()))).append('\n');
            }
            if (s.streams() != defaultStreams) {
                b.append("streams = ").append(s.streams()).append('\n');
            }
            if (!s.exported()) {
                b.append("exported = false\n");
            }
        });
        return b.toString();
    }

    private static String str(String s) {
        return ConfigValidator.quote(s);
    }
}
