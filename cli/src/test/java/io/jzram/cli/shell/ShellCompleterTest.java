package io.jzram.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.command.Commands;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the shell completes commands, options, option values and device names")
class ShellCompleterTest {
    final ShellCompleter completer = new ShellCompleter(
            Commands.build(CliContext.client(Map.of(), InputStream.nullInputStream(), false, false),
                    new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()), false, 0),
            () -> List.of("zram0", "zram1", "zram10"));

    List<String> complete(String line) {
        List<String> words = Words.parser().parse(line, line.length()).words();
        int index = words.size() - 1;
        return completer.candidates(words, index, words.get(index).length()).stream().map(Candidate::value).sorted().toList();
    }

    @Test
    void commands_but_not_hidden_ones() {
        assertThat(complete("")).contains("zramctl", "stat", "serve", "hot-add", "hot-remove", "help", "exit", "quit")
                .doesNotContain("devices");
        assertThat(complete("ho")).containsExactly("hot-add", "hot-remove");
        assertThat(complete("ex")).containsExactly("exit", "export");
        assertThat(complete("un")).containsExactly("unexport");
    }

    @Test
    void device_names_where_a_command_takes_a_device() {
        assertThat(complete("stat ")).containsExactly("zram0", "zram1", "zram10");
        assertThat(complete("stat zram1")).containsExactly("zram1", "zram10");
        assertThat(complete("reset --force zram0 z")).containsExactly("zram0", "zram1", "zram10");
        assertThat(complete("mem-limit z")).containsExactly("zram0", "zram1", "zram10");
        assertThat(complete("mem-limit zram0 ")).doesNotContain("zram0");
        assertThat(complete("hot-add ")).doesNotContain("zram0");
        assertThat(complete("unexport --force zram0 z")).containsExactly("zram0", "zram1", "zram10");
        assertThat(complete("export z")).containsExactly("zram0", "zram1", "zram10");
    }

    @Test
    void zramctl_devices_are_completed_as_zramctl_names_them() {
        assertThat(complete("zramctl -r /dev/zram1")).containsExactly("/dev/zram1", "/dev/zram10");
        assertThat(complete("zramctl -s 1G ")).contains("/dev/zram0");
    }

    @Test
    void options_and_their_values() {
        assertThat(complete("zramctl --out")).containsExactly("--output", "--output-all");
        assertThat(complete("zramctl -a ")).contains("lz4", "zstd").doesNotContain("zram0");
        assertThat(complete("zramctl -o COMP")).containsExactly("COMP-RATIO", "COMPR");
        assertThat(complete("stat --by")).containsExactly("--bytes");
    }

    @Test
    void sysfs_attributes_including_the_tiering_ones() {
        assertThat(complete("sysfs zram0 ")).containsAll(io.jzram.core.Sysfs.ATTRIBUTES)
                .contains("recompress", "bd_stat", "writeback", "backing_dev", "tiering_cpu_budget");
        assertThat(complete("sysfs zram0 rec")).containsExactly("recomp_algorithm", "recompress", "recompress_idle_after");
        assertThat(complete("sysfs zram0 bd")).containsExactly("bd_stat");
        assertThat(complete("zramctl -o TI")).containsExactly("TIERS");
    }

    @Test
    void help_completes_command_names() {
        assertThat(complete("help zr")).containsExactly("zramctl");
    }
}
