package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.format.HumanSize;
import io.jzram.cli.format.Table;
import io.jzram.config.AccessConfig;
import io.jzram.target.iscsi.SessionInfo;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The target's logged-in iSCSI sessions. */
@Command(name = "sessions",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "List the iSCSI sessions logged in to the target.",
        description = {
            "One line per session: its TSIH, TYPE (normal or discovery), the INITIATOR's iSCSI name, "
                    + "the ISID (12 hex digits), the initiator's ADDRESS, SINCE when it is logged in (UTC), "
                    + "the bytes received (IN) and sent (OUT) on its connection, the SCSI COMMANDS received, "
                    + "how it authenticated (AUTH: None, or CHAP with its algorithm, mutual when the target proved itself "
                    + "too) and under which access rule it logged in (ACL: entry, its [[initiator]] entry; open, no access "
                    + "list; discovery: discovery sessions are not subject to the list).",
            "Prints nothing when no session is logged in.",
        })
final class SessionsCommand extends ServerCommand {

    @Option(names = {"-b", "--bytes"}, description = "print sizes in bytes, not in human-readable form")
    boolean bytes;

    @Option(names = {"-n", "--noheadings"}, description = "don't print headings")
    boolean noHeadings;

    @Option(names = "--raw", description = "use raw output format")
    boolean raw;

    @Override
    public Integer call() {
        List<SessionInfo> sessions = engine().sessions().stream().sorted(Comparator.comparingInt(SessionInfo::tsih)).toList();
        AccessConfig access = engine().ops().access();
        out().print(table(sessions, bytes, access).raw(raw).noHeadings(noHeadings).render());
        out().flush();
        return ExitCodes.OK;
    }

    static Table table(List<SessionInfo> sessions, boolean bytes, AccessConfig access) {
        Table t = new Table(List.of(
                new Table.Column("TSIH", 4, true),
                new Table.Column("TYPE", 6, false),
                new Table.Column("INITIATOR", 0.3, false),
                new Table.Column("ISID", 12, false),
                new Table.Column("ADDRESS", 0.2, false),
                new Table.Column("SINCE", 20, false),
                new Table.Column("IN", 5, true),
                new Table.Column("OUT", 5, true),
                new Table.Column("COMMANDS", 5, true),
                new Table.Column("AUTH", 8, false),
                new Table.Column("ACL", 5, false)));
        for (SessionInfo s : sessions) {
            t.addRow(Integer.toString(s.tsih()),
                    s.discovery() ? "discovery" : "normal",
                    s.initiatorName(),
                    s.isid(),
                    address(s.remote()),
                    s.since() == null ? null : s.since().truncatedTo(ChronoUnit.SECONDS).toString(),
                    bytes ? Long.toString(s.bytesIn()) : HumanSize.format(s.bytesIn()),
                    bytes ? Long.toString(s.bytesOut()) : HumanSize.format(s.bytesOut()),
                    Long.toString(s.commands()),
                    s.auth(),
                    s.discovery() ? "discovery" : access.initiator(s.initiatorName()).isPresent() ? "entry" : "open");
        }
        return t;
    }

    /** {@code 192.0.2.1:51234} or {@code [2001:db8::1]:51234}. */
    static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress() instanceof Inet6Address v6
                    ? "[" + compactIpv6(v6.getAddress()) + "]"
                    : inet.getAddress().getHostAddress();
            return host + ":" + inet.getPort();
        }
        return a == null ? null : a.toString();
    }

    /** RFC 5952 text of an IPv6 address: lower case, the longest run of two or more zero groups as "::", no zone. */
    static String compactIpv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
