package io.jzram.target.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChapSecretTest {
    @Test
    void lengthBoundsInBytes() {
        assertThat(ChapSecret.of("a".repeat(12))).isNotNull();
        assertThat(ChapSecret.of("a".repeat(255))).isNotNull();
        assertThat(ChapSecret.of(new byte[12])).isNotNull();
        // 6 two-byte characters are 12 bytes of UTF-8: enough
        assertThat(ChapSecret.of("éééééé")).isNotNull();
        for (String bad : new String[] {"", "a".repeat(11), "a".repeat(256), "ééééé"}) {
            assertThatThrownBy(() -> ChapSecret.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("12 to 255 bytes").satisfies(e -> {
                        if (!bad.isEmpty()) {
                            assertThat(e.getMessage()).doesNotContain(bad);
                        }
                    });
        }
        assertThatThrownBy(() -> ChapSecret.of((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChapSecret.of(new byte[11])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverShown() {
        String value = "s3cr3t-value-xyz";
        ChapSecret s = ChapSecret.of(value);
        assertThat(s.toString()).doesNotContain(value).doesNotContain("16");
        assertThat(s.hashCode()).isEqualTo(ChapSecret.of("another-secret-abc").hashCode());
        assertThat(s).isEqualTo(ChapSecret.of(value)).isNotEqualTo(ChapSecret.of("s3cr3t-value-xyZ"));
        assertThat(s.sameAs(ChapSecret.of(value))).isTrue();
        assertThat(s.sameAs(ChapSecret.of(value + "0"))).isFalse();
        assertThat(s.sameAs(null)).isFalse();
        ChapCredential c = ChapCredential.of("alice", value);
        assertThat(c.toString()).contains("alice").doesNotContain(value);
    }

    @Test
    void binarySecretIsCopied() {
        byte[] b = "0123456789abcdef".getBytes();
        ChapSecret s = ChapSecret.of(b);
        b[0] = 'X';
        assertThat(s.sameAs(ChapSecret.of("0123456789abcdef"))).isTrue();
    }
}
