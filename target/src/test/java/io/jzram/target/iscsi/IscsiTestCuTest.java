package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libiscsi's conformance suite (iscsi-test-cu) against the running target.
 *
 * <p>The iSCSI.* transport tests run against the RAM-disk command set, the residual tests (which
 * need the command set to say how much data-out a write wanted) and every SCSI family that applies
 * to a thin-provisioned disk against the real zram stack. All must pass; families for commands we
 * do not implement (COMPARE AND WRITE, GET LBA STATUS, persistent reservations, ...) are not run.
 */
@Timeout(120)
class IscsiTestCuTest {
    static final List<String> TRANSPORT_TESTS = List.of(
            "iSCSI.iSCSIcmdsn",
            "iSCSI.iSCSIdatasn",
            "iSCSI.iSCSITMF");

    /** Totals parsed from CUnit's "Run Summary". */
    record Summary(String test, int run, int passed, int failed, String output) {}

    private static final Pattern TESTS = Pattern.compile("^\\s*tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)",
            Pattern.MULTILINE);

    static Summary run(String tool, String url, String test) throws Exception {
        ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(60), List.of(tool, "--dataloss",
                "-i", "iqn.2026-11.io.jzram.test:cu1", "-I", "iqn.2026-11.io.jzram.test:cu2", "-t", test, url));
        Matcher m = TESTS.matcher(r.output());
        if (!m.find()) {
            return new Summary(test, 0, 0, 0, r.output());
        }
        return new Summary(test, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), r.output());
    }

    /** Every SCSI family that applies to a thin-provisioned disk, plus the residual tests, against the real stack. */
    static final List<String> SCSI_FAMILIES = List.of("iSCSI.iSCSIResiduals", "SCSI.TestUnitReady", "SCSI.Inquiry",
            "SCSI.Mandatory", "SCSI.ModeSense6", "SCSI.PreventAllow", "SCSI.ReadCapacity10", "SCSI.ReadCapacity16",
            "SCSI.Read6", "SCSI.Read10", "SCSI.Read12", "SCSI.Read16", "SCSI.Write10", "SCSI.Write12", "SCSI.Write16",
            "SCSI.WriteVerify10", "SCSI.WriteVerify12", "SCSI.WriteVerify16", "SCSI.Verify10", "SCSI.Verify16",
            "SCSI.ReportSupportedOpcodes", "SCSI.StartStopUnit", "SCSI.Unmap", "SCSI.WriteSame10", "SCSI.WriteSame16");

    @Test
    void scsiFamiliesAgainstZramCommandSet() throws Exception {
        String tool = ExternalTools.require("iscsi-test-cu", "libiscsi-bin").toString();
        try (ZramFixture f = new ZramFixture(64L * 1024 * 1024)) {
            int run = 0;
            int passed = 0;
            StringBuilder report = new StringBuilder();
            List<String> didNotRun = new ArrayList<>();
            StringBuilder failures = new StringBuilder();
            for (String t : SCSI_FAMILIES) {
                Summary s = run(tool, f.url(), t);
                if (s.run() == 0) {
                    didNotRun.add(t + ":\n" + s.output());
                }
                if (s.failed() > 0) {
                    failures.append(t).append(":\n").append(s.output()).append('\n');
                }
                run += s.run();
                passed += s.passed();
                report.append(String.format("%-22s %3d run %3d passed %3d failed%n", t, s.run(), s.passed(), s.failed()));
            }
            System.out.printf("iscsi-test-cu against ZramCommandSet: %d run, %d passed%n%s", run, passed, report);
            assertThat(didNotRun).as("families that ran no test").isEmpty();
            assertThat(passed).as("every test passes:\n" + report + failures).isEqualTo(run);
            assertThat(run).isGreaterThan(100);
        }
    }

    @Test
    void transportConformance() throws Exception {
        String tool = ExternalTools.require("iscsi-test-cu", "libiscsi-bin").toString();
        try (ServerFixture f = new ServerFixture()) {
            String url = "iscsi://127.0.0.1:" + f.address().getPort() + "/" + ServerFixture.IQN + "/0";
            List<Summary> results = new ArrayList<>();
            for (String t : TRANSPORT_TESTS) {
                results.add(run(tool, url, t));
            }
            for (Summary s : results) {
                assertThat(s.run()).as(s.test() + " ran\n" + s.output()).isPositive();
                assertThat(s.failed()).as(s.test() + " failures\n" + s.output()).isZero();
            }
            // every libiscsi connection went away cleanly
            LoginTest.waitFor(() -> f.server.openConnections() == 0);
        }
    }
}
