package io.jzram.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class ChapAlgorithmTest {
    /*
     * RFC 1994 §4.1 construction H(identifier || secret || challenge) with identifier 0x2a, the
     * secret "jzram-chap-secret-12" (ASCII) and the challenge 00 01 02 .. 0f. The digests were
     * computed outside Java, once with python3 (hashlib.new(name, bytes([0x2a]) + secret +
     * bytes(range(16)))) and once with `openssl dgst -md5|-sha1|-sha256|-sha3-256` over the same
     * 37 bytes written to a file; both gave the values below.
     */
    private static final int ID = 0x2a;
    private static final ChapSecret SECRET = ChapSecret.of("jzram-chap-secret-12");
    private static final byte[] CHALLENGE = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

    @Test
    void knownVectors() {
        assertThat(hex(ChapAlgorithm.MD5)).isEqualTo("150bd1e3409be80aecbecba108654c28");
        assertThat(hex(ChapAlgorithm.SHA1)).isEqualTo("672a993fd34fbbad36bc5fe69a84c9e23413c800");
        assertThat(hex(ChapAlgorithm.SHA256))
                .isEqualTo("63e7c333d98073c7f213dd7ecdd2c2fb08f06050c110c6743c95510950c8bf48");
        assertThat(hex(ChapAlgorithm.SHA3_256))
                .isEqualTo("d2d52af6a4b1e213f9a22c6b36007a2e6d6d01f7424268486049815ac2192745");
    }

    private static String hex(ChapAlgorithm a) {
        byte[] r = a.response(ID, SECRET, CHALLENGE);
        assertThat(r).hasSize(a.digestLength());
        return HexFormat.of().formatHex(r);
    }

    @Test
    void codesAreThoseOfOpenIscsiAndLio() {
        assertThat(ChapAlgorithm.MD5.code()).isEqualTo(5);
        assertThat(ChapAlgorithm.SHA1.code()).isEqualTo(6);
        assertThat(ChapAlgorithm.SHA256.code()).isEqualTo(7);
        assertThat(ChapAlgorithm.SHA3_256.code()).isEqualTo(8);
        for (ChapAlgorithm a : ChapAlgorithm.values()) {
            assertThat(ChapAlgorithm.ofCode(a.code())).contains(a);
            assertThat(a.challengeLength()).isGreaterThanOrEqualTo(Math.max(16, a.digestLength()));
        }
        assertThat(ChapAlgorithm.ofCode(4)).isEmpty();
        assertThat(ChapAlgorithm.ofCode(9)).isEmpty();
        assertThat(ChapAlgorithm.ofCode(128)).isEmpty(); // MS-CHAP: not ours
    }

    @Test
    void identifierIsOneByteAndMatters() {
        assertThatThrownBy(() -> ChapAlgorithm.MD5.response(256, SECRET, CHALLENGE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChapAlgorithm.MD5.response(-1, SECRET, CHALLENGE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChapAlgorithm.MD5.response(0, SECRET, CHALLENGE))
                .isNotEqualTo(ChapAlgorithm.MD5.response(255, SECRET, CHALLENGE));
    }
}
