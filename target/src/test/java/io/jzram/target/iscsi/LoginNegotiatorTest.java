package io.jzram.target.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.jscsi.parser.login.LoginStatus;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LoginNegotiatorTest {
    private static final IscsiServerSettings SETTINGS = IscsiServerSettings.defaults().withTargetName("iqn.2026-11.io.jzram:t");

    private static TextParameters keys(String... kv) {
        TextParameters p = new TextParameters();
        for (int i = 0; i < kv.length; i += 2) {
            p.add(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static LoginNegotiator identified(boolean discovery) throws Exception {
        LoginNegotiator n = new LoginNegotiator(SETTINGS);
        n.identify(discovery ? keys("InitiatorName", "iqn.x:i", "SessionType", "Discovery")
                : keys("InitiatorName", "iqn.x:i", "TargetName", "iqn.2026-11.io.jzram:t"));
        return n;
    }

    @Test
    void resultFunctions() throws Exception {
        LoginNegotiator n = identified(false);
        TextParameters a = n.negotiate(keys("MaxBurstLength", "16776192", "FirstBurstLength", "16776192",
                "MaxOutstandingR2T", "64", "InitialR2T", "Yes", "ImmediateData", "No", "DefaultTime2Wait", "0",
                "DefaultTime2Retain", "20", "ErrorRecoveryLevel", "2", "MaxConnections", "8",
                "MaxRecvDataSegmentLength", "65536", "HeaderDigest", "None,CRC32C", "DataDigest", "CRC32C,None"), 1);
        assertThat(a.get("TargetPortalGroupTag")).isEqualTo("1");
        assertThat(a.get("MaxBurstLength")).isEqualTo("1048576");
        assertThat(a.get("FirstBurstLength")).isEqualTo("262144");
        assertThat(a.get("MaxOutstandingR2T")).isEqualTo("8");
        assertThat(a.get("InitialR2T")).isEqualTo("Yes");
        assertThat(a.get("ImmediateData")).isEqualTo("No");
        assertThat(a.get("DefaultTime2Wait")).isEqualTo("2");
        assertThat(a.get("DefaultTime2Retain")).isEqualTo("0");
        assertThat(a.get("ErrorRecoveryLevel")).isEqualTo("0");
        assertThat(a.get("MaxConnections")).isEqualTo("1");
        assertThat(a.get("HeaderDigest")).isEqualTo("None");
        assertThat(a.get("DataDigest")).isEqualTo("CRC32C");
        assertThat(a.get("MaxRecvDataSegmentLength")).isEqualTo("262144");
        NegotiatedParameters p = n.result();
        assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(65536);
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(262144);
        assertThat(p.maxBurstLength()).isEqualTo(1048576);
        assertThat(p.firstBurstLength()).isEqualTo(262144);
        assertThat(p.initialR2t()).isTrue();
        assertThat(p.immediateData()).isFalse();
        assertThat(p.headerDigest()).isFalse();
        assertThat(p.dataDigest()).isTrue();
    }

    @Test
    void firstBurstNeverExceedsMaxBurst() throws Exception {
        LoginNegotiator n = identified(false);
        TextParameters a = n.negotiate(keys("FirstBurstLength", "262144", "MaxBurstLength", "8192"), 1);
        assertThat(a.get("MaxBurstLength")).isEqualTo("8192");
        assertThat(a.get("FirstBurstLength")).isEqualTo("8192");
    }

    @Test
    void discoveryAnswersIrrelevantAndUnknownKeysNotUnderstood() throws Exception {
        LoginNegotiator n = identified(true);
        TextParameters a = n.negotiate(keys("MaxBurstLength", "262144", "InitialR2T", "No", "X-foo", "bar",
                "MaxRecvDataSegmentLength", "notanumber", "HeaderDigest", "MD5"), 1);
        assertThat(a.get("TargetPortalGroupTag")).isNull();
        assertThat(a.get("MaxBurstLength")).isEqualTo("Irrelevant");
        assertThat(a.get("InitialR2T")).isEqualTo("Irrelevant");
        assertThat(a.get("X-foo")).isEqualTo("NotUnderstood");
        assertThat(a.get("MaxRecvDataSegmentLength")).isEqualTo("262144"); // our declaration only
        assertThat(n.result().initiatorMaxRecvDataSegmentLength()).isEqualTo(8192); // theirs was unusable
        assertThat(a.get("HeaderDigest")).isEqualTo("Reject");
    }

    @Test
    void rejects() throws Exception {
        assertThatThrownBy(() -> new LoginNegotiator(SETTINGS).identify(keys("SessionType", "Normal")))
                .isInstanceOfSatisfying(LoginRejectException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.MISSING_PARAMETER));
        assertThatThrownBy(() -> new LoginNegotiator(SETTINGS).identify(keys("InitiatorName", "iqn.x:i", "TargetName", "iqn.other:t")))
                .isInstanceOfSatisfying(LoginRejectException.class, e -> {
                    assertThat(e.status()).isEqualTo(LoginStatus.NOT_FOUND);
                    assertThat(e.statusClass()).isEqualTo(2);
                    assertThat(e.statusDetail()).isEqualTo(3);
                });
        LoginNegotiator n = identified(false);
        n.negotiate(keys("MaxBurstLength", "65536"), 1);
        assertThatThrownBy(() -> n.negotiate(keys("MaxBurstLength", "65536"), 1))
                .isInstanceOfSatisfying(LoginRejectException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.INITIATOR_ERROR));
        assertThatThrownBy(() -> identified(false).negotiate(keys("AuthMethod", "CHAP,SRP"), 0))
                .isInstanceOfSatisfying(LoginRejectException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE));
        assertThat(identified(false).negotiate(keys("AuthMethod", "CHAP,None"), 0).get("AuthMethod")).isEqualTo("None");
    }

    @Property(tries = 200)
    void numericAnswersAreWithinBothOffers(@ForAll @IntRange(min = 512, max = 16777215) int mbl,
            @ForAll @IntRange(min = 512, max = 16777215) int fbl, @ForAll @IntRange(min = 1, max = 65535) int r2t)
            throws Exception {
        LoginNegotiator n = identified(false);
        TextParameters a = n.negotiate(keys("MaxBurstLength", "" + mbl, "FirstBurstLength", "" + fbl,
                "MaxOutstandingR2T", "" + r2t), 1);
        int gotMbl = Integer.parseInt(a.get("MaxBurstLength"));
        int gotFbl = Integer.parseInt(a.get("FirstBurstLength"));
        assertThat(gotMbl).isEqualTo(Math.min(mbl, SETTINGS.maxBurstLength()));
        assertThat(gotFbl).isLessThanOrEqualTo(Math.min(fbl, gotMbl));
        assertThat(Integer.parseInt(a.get("MaxOutstandingR2T"))).isEqualTo(Math.min(r2t, SETTINGS.maxOutstandingR2t()));
        NegotiatedParameters p = n.result();
        assertThat(p.firstBurstLength()).isLessThanOrEqualTo(p.maxBurstLength());
    }

    @Test
    void textParametersKeepOrderAndDuplicates() throws Exception {
        byte[] data = "a=1\0b=2\0a=3\0".getBytes(StandardCharsets.UTF_8);
        TextParameters p = TextParameters.parse(data);
        assertThat(p.pairs()).extracting(TextParameters.Pair::key).containsExactly("a", "b", "a");
        assertThat(p.get("a")).isEqualTo("1");
        assertThat(p.encode()).isEqualTo(data);
        assertThat(TextParameters.parse("x=\0".getBytes(StandardCharsets.UTF_8)).get("x")).isEmpty();
        assertThatThrownBy(() -> TextParameters.parse("novalue\0".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPduException.class);
    }
}
