package io.jzram.cli.man;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the man pages: generated from the command model, checked in, never stale")
class ManPagesTest {
    static final Path MAN = Path.of(System.getProperty("basedir", "."), "..", "man").normalize();

    @Test
    void there_is_a_page_for_jzram_and_each_command() {
        assertThat(ManPages.generate().keySet()).containsExactlyInAnyOrder("jzram.1", "jzram-serve.1", "jzram-shell.1",
                "jzram-zramctl.1", "jzram-stat.1", "jzram-compact.1", "jzram-mem-limit.1", "jzram-export.1", "jzram-unexport.1", "jzram-hot-add.1",
                "jzram-hot-remove.1", "jzram-reset.1", "jzram-sessions.1", "jzram-acl.1", "jzram-sysfs.1", "jzram-completion.1", "jzram-apply.1", "jzram-save-config.1");
    }

    @Test
    void a_page_is_troff_with_the_usual_sections() {
        String page = ManPages.generate().get("jzram-zramctl.1");
        assertThat(page).contains(".TH JZRAM\\-ZRAMCTL 1 ", ".SH NAME\njzram\\-zramctl \\- Set up and control zram devices\n",
                ".SH SYNOPSIS\n.nf\njzram zramctl [options] [<device>]\njzram zramctl \\-r <device>...\n",
                ".SH OPTIONS\n", "\\fB\\-o\\fR, \\fB\\-\\-output\\fR=\\fI<list>\\fR\ncolumns to use for status output\n",
                ".SH EXIT STATUS\n", ".SH AVAILABLE OUTPUT COLUMNS\n.nf\n", "  COMP\\-RATIO  compression ratio: DATA/TOTAL\n",
                ".SH SEE ALSO\n\\fBjzram\\fR(1), \\fBzramctl\\fR(8)");
        assertThat(page.lines()).noneMatch(l -> l.startsWith(".") && !l.matches("^\\.(\\\\\"|TH|SH|TP|PP|B|nf|fi)( .*)?$"));
    }

    @Test
    void the_checked_in_pages_are_up_to_date() throws IOException {
        Map<String, String> generated = ManPages.generate();
        TreeSet<String> stale = new TreeSet<>();
        for (Map.Entry<String, String> page : generated.entrySet()) {
            Path file = MAN.resolve(page.getKey());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(page.getValue())) {
                stale.add(page.getKey());
            }
        }
        try (Stream<Path> files = Files.exists(MAN) ? Files.list(MAN) : Stream.empty()) {
            stale.addAll(files.map(p -> p.getFileName().toString()).filter(n -> !generated.containsKey(n)).collect(Collectors.toSet()));
        }
        assertThat(stale)
                .withFailMessage("the man pages in %s are stale (%s); regenerate them from the repository root with:%n  %s%nand commit man/",
                        MAN, String.join(", ", stale), ManPages.REFRESH)
                .isEmpty();
    }
}
