package io.jzram.cli.dispatch;

import java.io.PrintWriter;
import java.util.List;

/** Runs one command line (an argument vector without the program name) and returns its exit status. */
public interface Dispatcher {
    int run(List<String> argv, PrintWriter out, PrintWriter err);
}
