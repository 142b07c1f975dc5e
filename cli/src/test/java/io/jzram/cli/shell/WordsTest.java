package io.jzram.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("shell and script lines are split into words alike")
class WordsTest {

    @Test
    void blanks_separate_quotes_group_backslash_escapes() throws Exception {
        assertThat(Words.split("  zramctl  -f -s 1G  ")).containsExactly("zramctl", "-f", "-s", "1G");
        assertThat(Words.split("a 'b c' \"d e\" f\\ g")).containsExactly("a", "b c", "d e", "f g");
    }

    @Test
    void blank_lines_and_comments_have_no_words() throws Exception {
        assertThat(Words.split("")).isEmpty();
        assertThat(Words.split("   ")).isEmpty();
        assertThat(Words.split("# a comment")).isEmpty();
        assertThat(Words.split("hot-add # and a comment")).containsExactly("hot-add");
    }

    @Test
    void an_unclosed_quote_is_an_error() {
        assertThatThrownBy(() -> Words.split("stat 'zram0")).isInstanceOf(Words.SyntaxException.class);
    }
}
