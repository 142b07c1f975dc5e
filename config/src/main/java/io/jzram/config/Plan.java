package io.jzram.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What applying a file to a server will do, in the order it will do it (see {@link Planner}).
 *
 * @param file the file
 * @param steps the changes, in execution order
 * @param unchanged devices that already are as the file says
 * @param kept devices the file does not list, left alone (no {@code --prune})
 * @param notes things the plan does not change but the user should know (server settings)
 * @param refusals why the plan must not be applied (a busy device without {@code --force}); empty when it may
 * @param defaultStreams the server's default number of streams, for descriptions
 */
public record Plan(ConfigFile file, List<Step> steps, List<Integer> unchanged, List<LiveDevice> kept, List<String> notes,
        List<ConfigError> refusals, int defaultStreams) {

    public Plan {
        steps = List.copyOf(steps);
        unchanged = List.copyOf(unchanged);
        kept = List.copyOf(kept);
        notes = List.copyOf(notes);
        refusals = List.copyOf(refusals);
    }

    /** Whether there is nothing to change. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Whether the plan may be applied (nothing refused). */
    public boolean isApplicable() {
        return refusals.isEmpty();
    }

    /**
     * The plan for people, one line each:
     * <pre>
     * site.toml: 2 changes
     *   resize zram0: size 1G -> 2G (reset: its data is lost)
     *   create zram1: size 4G, algorithm zstd
     * unchanged: zram2
     * not in the file, kept (--prune removes them): zram3
     * note: site.toml:3:10: listen ...
     * </pre>
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(file.name() + ": " + (steps.isEmpty() ? "no changes" : steps.size() + " change" + (steps.size() == 1 ? "" : "s")));
        for (Step s : steps) {
            lines.add("  " + s.describe(defaultStreams));
        }
        if (!unchanged.isEmpty()) {
            lines.add("unchanged: " + unchanged.stream().map(id -> "zram" + id).collect(Collectors.joining(", ")));
        }
        if (!kept.isEmpty()) {
            lines.add("not in the file, kept (--prune removes them): " + kept.stream().map(LiveDevice::name).collect(Collectors.joining(", ")));
        }
        for (String n : notes) {
            lines.add("note: " + n);
        }
        return lines;
    }
}
