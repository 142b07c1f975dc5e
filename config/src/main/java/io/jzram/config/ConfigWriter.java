package io.jzram.config;

import io.jzram.core.Sysfs;
import io.jzram.core.TierSetup;
import io.jzram.core.TieringPolicy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a live configuration in the file format, for {@code jzram save-config}: the server's
 * settings and every device, set up or not. The output is canonical (fixed key order, sizes in
 * their exact short form, nothing that changes between two runs), so that save → apply on a fresh
 * server → save gives the same text. Keys at their default are left out where the default is
 * the server's own (streams: one per CPU; mem_limit: none; the tier settings: no recompression
 * algorithm, no algorithm_params, no backing_dev, no writeback_limit, ages off, a cpu budget of
 * 0.1), so a saved file moves to a machine with other CPUs and means "the default" there too;
 * {@code algorithm} is a list only for a device with recompression algorithms; ages are written
 * as {@link Sysfs#formatAge} writes them, sizes as {@link Sizes#format}; {@code exported} is
 * written only for an unexported device ({@code exported = false}: the default, true, is left out).
 */
public final class ConfigWriter {
    private ConfigWriter() {}

    /**
     * @param server the running server's settings, or null to write no [server] table
     * @param devices the devices, any order
     * @param defaultStreams a device's streams when not set
     */
    public static String write(ServerConfig server, List<LiveDevice> devices, int defaultStreams) {
        return write(server, devices, AccessConfig.OPEN, defaultStreams, true);
    }

    /**
     * @param access who may log in: written as [[initiator]] and [discovery] tables (nothing when open)
     * @param withSecrets write secrets given in the configuration itself (for a file, written
     *     0600 by the caller); false leaves each out with a comment saying so (for standard
     *     output, which must never show a secret). Secrets read from a file are written as
     *     the reference ({@code chap_secret_file}) either way.
     */
    public static String write(ServerConfig server, List<LiveDevice> devices, AccessConfig access, int defaultStreams,
            boolean withSecrets) {
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
            if (server.allowAnyInitiator() != null) {
                b.append("allow_any_initiator = ").append(server.allowAnyInitiator()).append('\n');
            }
            if (server.maxConnections() != null) {
                b.append("max_connections = ").append(server.maxConnections()).append('\n');
            }
            if (server.maxConnectionsPerAddress() != null) {
                b.append("max_connections_per_address = ").append(server.maxConnectionsPerAddress()).append('\n');
            }
        }
        devices.stream().sorted(java.util.Comparator.comparingInt(LiveDevice::id)).forEach(d -> {
            DeviceSettings s = d.settings();
            b.append("\n[[device]]\n");
            b.append("id = ").append(d.id()).append('\n');
            b.append("size = ").append(s.isSetUp() ? str(Sizes.format(s.size())) : "0").append(s.isSetUp() ? "" : "  # not set up").append('\n');
            TierSetup t = s.tiers();
            if (t.recompAlgorithms().isEmpty()) {
                b.append("algorithm = ").append(str(s.algorithm())).append('\n');
            } else {
                b.append("algorithm = ").append(list(java.util.stream.Stream.concat(java.util.stream.Stream.of(s.algorithm()),
                        t.recompAlgorithms().stream()).toList())).append('\n');
            }
            if (!t.algorithmParams().isEmpty()) {
                b.append("algorithm_params = ").append(list(t.algorithmParams())).append('\n');
            }
            if (s.memLimit() != 0) {
                b.append("mem_limit = ").append(str(Sizes.format(s.memLimit()))).append('\n');
            }
            if (s.streams() != defaultStreams) {
                b.append("streams = ").append(s.streams()).append('\n');
            }
            if (t.backingDev() != null) {
                b.append("backing_dev = ").append(str(t.backingDev().toString())).append('\n');
            }
            if (t.writebackLimit() >= 0) {
                b.append("writeback_limit = ").append(str(Sizes.format(t.writebackLimit() * 4096))).append('\n');
            }
            TieringPolicy p = t.policy();
            if (p.recompressIdleAfter() != null) {
                b.append("recompress_idle_after = ").append(str(Sysfs.formatAge(p.recompressIdleAfter()))).append('\n');
            }
            if (p.writebackIdleAfter() != null) {
                b.append("writeback_idle_after = ").append(str(Sysfs.formatAge(p.writebackIdleAfter()))).append('\n');
            }
            if (Double.compare(p.cpuBudget(), TieringPolicy.DEFAULT_CPU_BUDGET) != 0) {
                b.append("tiering_cpu_budget = ").append(p.cpuBudget()).append('\n');
            }
            if (!s.exported()) {
                b.append("exported = false\n");
            }
        });
        for (InitiatorConfig i : access.initiators()) {
            b.append("\n[[initiator]]\n");
            b.append("name = ").append(str(i.name())).append('\n');
            chap(b, i.chap(), withSecrets);
            if (i.devices() != null) {
                b.append("devices = [").append(i.devices().stream().map(id -> str("zram" + id)).collect(Collectors.joining(", ")))
                        .append("]\n");
            }
        }
        if (access.discovery() != null) {
            b.append("\n[discovery]\n");
            chap(b, access.discovery(), withSecrets);
        }
        return b.toString();
    }

    private static void chap(StringBuilder b, ChapCredentials chap, boolean withSecrets) {
        if (chap == null) {
            return;
        }
        b.append("chap_user = ").append(str(chap.user())).append('\n');
        secret(b, "chap_secret", chap.secret(), withSecrets);
        if (chap.mutual()) {
            b.append("mutual_user = ").append(str(chap.mutualUser())).append('\n');
            secret(b, "mutual_secret", chap.mutualSecret(), withSecrets);
        }
    }

    private static void secret(StringBuilder b, String key, Secret secret, boolean withSecrets) {
        if (secret.file() != null) {
            b.append(key).append("_file = ").append(str(secret.file().toString())).append('\n');
        } else if (withSecrets) {
            b.append(key).append(" = ").append(str(secret.text())).append('\n');
        } else {
            b.append("# ").append(key).append(" not shown; 'jzram save-config FILE' writes it (mode 0600)\n");
        }
    }

    /** {@code ["a", "b"]}. */
    private static String list(List<String> items) {
        return items.stream().map(ConfigWriter::str).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String str(String s) {
        return ConfigValidator.quote(s);
    }
}
