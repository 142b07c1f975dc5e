package io.jzram.cli.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion in the shell: commands, options and option values from the picocli model
 * (picocli's {@link AutoComplete#complete}), and device names, live from the server, where a
 * command takes a device: {@code zramN}, or {@code /dev/zramN} for zramctl. picocli's own JLine
 * completer completes no positional parameters, hence this one.
 */
public final class ShellCompleter implements Completer {
    /** Words the shell itself understands. */
    static final List<String> BUILTINS = List.of("exit", "quit");

    private final CommandLine model;
    private final Supplier<List<String>> devices;

    /** @param devices the device names ({@code zram0} …), asked for at each completion */
    public ShellCompleter(CommandLine model, Supplier<List<String>> devices) {
        this.model = model;
        this.devices = devices;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates.addAll(candidates(line.words(), line.wordIndex(), line.wordCursor()));
    }

    /** The completions of word {@code index} of {@code words}, whose first {@code cursor} characters are typed. */
    public List<Candidate> candidates(List<String> words, int index, int cursor) {
        List<String> typed = new ArrayList<>(words);
        while (typed.size() <= index) {
            typed.add("");
        }
        String word = typed.get(index);
        String prefix = word.substring(0, Math.min(cursor, word.length()));
        List<Candidate> out = new ArrayList<>();

        // Which command the word belongs to, and how many positional words precede it.
        CommandLine cmd = model;
        int positional = 0;
        boolean optionArgument = false;
        for (int i = 0; i < index; i++) {
            String w = typed.get(i);
            if (optionArgument) {
                optionArgument = false;
                continue;
            }
            CommandLine sub = positional == 0 ? cmd.getSubcommands().get(w) : null;
            if (sub != null) {
                cmd = sub;
                continue;
            }
            if (w.startsWith("-") && w.length() > 1) {
                OptionSpec opt = cmd.getCommandSpec().findOption(w.contains("=") ? w.substring(0, w.indexOf('=')) : w);
                optionArgument = opt != null && opt.arity().max() > 0 && !w.contains("=");
                continue;
            }
            positional++;
        }
        CommandSpec spec = cmd.getCommandSpec();

        if (index == 0) {
            for (String b : BUILTINS) {
                if (b.startsWith(prefix)) {
                    out.add(candidate(b, "shell"));
                }
            }
        }
        if (!optionArgument && !prefix.startsWith("-")) {
            if (spec.userObject() instanceof CommandLine.HelpCommand) {
                for (Map.Entry<String, CommandLine> e : model.getSubcommands().entrySet()) {
                    if (!e.getValue().getCommandSpec().usageMessage().hidden() && e.getKey().startsWith(prefix)) {
                        out.add(candidate(e.getKey(), "command"));
                    }
                }
                return out;
            }
            if (takesDevice(spec, positional)) {
                boolean zramctl = spec.name().equals("zramctl");
                for (String d : devices.get()) {
                    String value = zramctl ? "/dev/" + d : d;
                    if (value.startsWith(prefix)) {
                        out.add(candidate(value, "device"));
                    }
                }
            }
        }
        List<CharSequence> rest = new ArrayList<>();
        String[] args = typed.toArray(String[]::new);
        try {
            AutoComplete.complete(model.getCommandSpec(), args, index, prefix.length(), 0, rest);
        } catch (RuntimeException e) {
            return out; // no picocli completion for this line
        }
        boolean valuesOffered = !out.isEmpty();
        for (CharSequence r : rest) {
            String value = prefix + r;
            if (value.startsWith("-") && !prefix.startsWith("-") && valuesOffered) {
                continue; // options once a '-' is typed, when there is something else to offer
            }
            if (cmd.getSubcommands().containsKey(value) && cmd.getSubcommands().get(value).getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            if (out.stream().noneMatch(c -> c.value().equals(value))) {
                out.add(candidate(value, value.startsWith("-") ? "option" : "value"));
            }
        }
        return out;
    }

    private static boolean takesDevice(CommandSpec spec, int positional) {
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().contains(positional) && p.paramLabel().toUpperCase(java.util.Locale.ROOT).contains("DEVICE")) {
                return true;
            }
        }
        return false;
    }

    private static Candidate candidate(String value, String group) {
        return new Candidate(value, value, group, null, null, null, true);
    }
}
