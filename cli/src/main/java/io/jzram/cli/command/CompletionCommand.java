package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints a bash or zsh completion script. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Print a bash or zsh completion script.",
        description = {
            "Prints a script that completes jzram's commands, options and option values. Load it with:",
            "  bash:  source <(jzram completion bash)    (or save it in /etc/bash_completion.d/jzram)",
            "  zsh:   source <(jzram completion zsh)",
            "The zsh script is the bash one, run through zsh's bashcompinit. Device names are completed "
                    + "by the interactive shell, which asks the server for them.",
        })
final class CompletionCommand extends BaseCommand {

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", completionCandidates = Shells.class)
    String shell;

    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("bash", "zsh").iterator();
        }
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            return fail("completion: unsupported shell '" + shell + "' (bash or zsh)");
        }
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash("jzram", root);
        if (shell.equals("zsh")) {
            script = "# zsh: load with: source <(jzram completion zsh)\n"
                    + "autoload -U +X compinit && compinit\n"
                    + "autoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        out().print(script);
        out().flush();
        return ExitCodes.OK;
    }
}
