package io.jzram.target.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ChapValuesTest {
    private static final int MAX = ChapValues.MAX_BINARY_BYTES;

    private static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    private static String b64(byte[] b) {
        return "0b" + Base64.getEncoder().encodeToString(b);
    }

    // ------------------------------------------------------------------ binary values

    @Property(tries = 500)
    void hexRoundTrips(@ForAll @Size(min = 1, max = 1024) byte[] b) {
        String e = ChapValues.encodeHex(b);
        assertThat(e).startsWith("0x").isEqualTo(e.toLowerCase(Locale.ROOT)).hasSize(2 + 2 * b.length);
        assertThat(ChapValues.decodeBinary(e, MAX)).hasValueSatisfying(d -> assertThat(d).isEqualTo(b));
        String upper = "0X" + e.substring(2).toUpperCase(Locale.ROOT);
        assertThat(ChapValues.decodeBinary(upper, MAX)).hasValueSatisfying(d -> assertThat(d).isEqualTo(b));
    }

    @Property(tries = 500)
    void base64RoundTrips(@ForAll @Size(min = 1, max = 1024) byte[] b) {
        assertThat(ChapValues.decodeBinary(b64(b), MAX)).hasValueSatisfying(d -> assertThat(d).isEqualTo(b));
        assertThat(ChapValues.decodeBinary("0B" + b64(b).substring(2), MAX))
                .hasValueSatisfying(d -> assertThat(d).isEqualTo(b));
    }

    @Property(tries = 300)
    void lengthLimitIsExact(@ForAll @IntRange(min = 1, max = 64) int limit, @ForAll @IntRange(min = 1, max = 70) int n) {
        byte[] b = new byte[n];
        boolean fits = n <= limit;
        assertThat(ChapValues.decodeBinary(hex(b), limit).isPresent()).isEqualTo(fits);
        assertThat(ChapValues.decodeBinary(b64(b), limit).isPresent()).isEqualTo(fits);
    }

    @Test
    void lengthEdges() {
        // empty
        assertThat(ChapValues.decodeBinary("0x", MAX)).isEmpty();
        assertThat(ChapValues.decodeBinary("0b", MAX)).isEmpty();
        assertThat(ChapValues.decodeBinary("", MAX)).isEmpty();
        assertThat(ChapValues.decodeBinary(null, MAX)).isEmpty();
        // one byte
        assertThat(ChapValues.decodeBinary("0x00", MAX)).hasValueSatisfying(d -> assertThat(d).containsExactly(0));
        assertThat(ChapValues.decodeBinary("0bAA==", MAX)).hasValueSatisfying(d -> assertThat(d).containsExactly(0));
        // the RFC's maximum, and one more
        assertThat(ChapValues.decodeBinary(hex(new byte[MAX]), MAX)).isPresent();
        assertThat(ChapValues.decodeBinary(b64(new byte[MAX]), MAX)).isPresent();
        assertThat(ChapValues.decodeBinary(hex(new byte[MAX + 1]), MAX)).isEmpty();
        assertThat(ChapValues.decodeBinary(b64(new byte[MAX + 1]), MAX)).isEmpty();
        // far beyond: refused, not decoded
        assertThat(ChapValues.decodeBinary("0x" + "ab".repeat(40_000), MAX)).isEmpty();
        assertThat(ChapValues.decodeBinary("0b" + "AAAA".repeat(40_000), MAX)).isEmpty();
    }

    @Test
    void malformedBinary() {
        for (String bad : new String[] {
                "0x0", "0xabc", // odd number of digits
                "0xgg", "0x 0", "0x00 ", " 0x00", "0x-1", "0x+1", "0x٠٠", // non-hex, spaces, Arabic-Indic digits
                "00", "x00", "0y00", "1x00", "0x", "abcd", // no or wrong prefix
                "0bAA=", "0bAA", "0bA", "0bAAA", // length not a multiple of 4 (missing padding)
                "0bA===", "0b====", "0bAA=A", "0b=AAA", // misplaced padding
                "0bAB==", "0bAAB=", // non-zero pad bits (non-canonical)
                "0bAA*A", "0bAA-_", "0bAA\nA", // outside the standard alphabet
                "0xÿÿ", "0b\u0000AAA"}) {
            assertThat(ChapValues.decodeBinary(bad, MAX)).as(bad).isEmpty();
        }
    }

    @Property(tries = 1000)
    void anyStringDecodesOrIsRefusedWithoutThrowing(@ForAll("valueLike") String s) {
        ChapValues.decodeBinary(s, MAX).ifPresent(b -> {
            assertThat(b.length).isBetween(1, MAX);
            // whatever decodes re-encodes to the same bytes
            assertThat(ChapValues.decodeBinary(ChapValues.encodeHex(b), MAX)).hasValueSatisfying(d -> assertThat(d).isEqualTo(b));
        });
        ChapValues.decodeNumber(s, 255).ifPresent(n -> assertThat(n).isBetween(0, 255));
        ChapValues.validText(s);
    }

    @Provide
    Arbitrary<String> valueLike() {
        Arbitrary<String> prefix = Arbitraries.of("0x", "0X", "0b", "0B", "", "0", "x", "-");
        Arbitrary<String> body = Arbitraries.strings().withChars("0123456789abcdefABCDEFxX+/=- \u0000\u0660é")
                .ofMaxLength(40);
        return Arbitraries.oneOf(prefix.flatMap(p -> body.map(b -> p + b)), Arbitraries.strings().ofMaxLength(60));
    }

    // ------------------------------------------------------------------ numbers and text

    @Property(tries = 300)
    void numbersRoundTrip(@ForAll @IntRange(min = 0, max = 255) int n) {
        assertThat(ChapValues.decodeNumber(Integer.toString(n), 255)).hasValue(n);
        assertThat(ChapValues.decodeNumber("0x" + Integer.toHexString(n), 255)).hasValue(n);
        assertThat(ChapValues.decodeNumber("0X" + Integer.toHexString(n).toUpperCase(Locale.ROOT), 255)).hasValue(n);
        assertThat(ChapValues.decodeNumber("0x000" + Integer.toHexString(n), 255)).hasValue(n);
    }

    @Test
    void numberEdges() {
        assertThat(ChapValues.decodeNumber("0", 255)).hasValue(0);
        assertThat(ChapValues.decodeNumber("255", 255)).hasValue(255);
        assertThat(ChapValues.decodeNumber("0xff", 255)).hasValue(255);
        for (String bad : new String[] {"256", "0x100", "-1", "+1", "", "0x", "007", "1 ", " 1", "1e2", "٣",
                "99999999999999999999999", "0x" + "f".repeat(40), "0b/w==", "five", "5,6"}) {
            assertThat(ChapValues.decodeNumber(bad, 255)).as(bad).isEmpty();
        }
        assertThat(ChapValues.decodeNumber(null, 255)).isEmpty();
    }

    @Test
    void textValues() {
        assertThat(ChapValues.validText("alice")).isTrue();
        assertThat(ChapValues.validText("a".repeat(255))).isTrue();
        assertThat(ChapValues.validText("a".repeat(256))).isFalse();
        assertThat(ChapValues.validText("é".repeat(128))).isFalse(); // 256 bytes
        assertThat(ChapValues.validText("")).isFalse();
        assertThat(ChapValues.validText(null)).isFalse();
        assertThat(ChapValues.validText("a\0b")).isFalse();
    }
}
