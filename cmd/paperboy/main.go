// Command paperboy is a self-hosted research-paper feed: a daily feed of arXiv
// papers with upvotes and trending, paper pages, search by meaning, accounts
// and comments, in one binary on one SQLite file.
//
// Usage: paperboy <command> [flags]; `paperboy help` lists the commands and
// `paperboy <command> -h` their flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve the web site and the JSON API", runServe},
		{"demo", "create a database from the bundled real papers (if none exists) and serve it", runDemo},
		{"import", "import arXiv metadata files (snapshot JSON lines, API Atom, OAI-PMH; plain or gzip)", runImport},
		{"user", "manage accounts (user create --admin)", runUser},
		{"embed", "embed papers for semantic search ahead of time (after changing -embedder), with progress", runEmbed},
		{"eval", "measure search quality on a relevance file (MRR@10, Recall@10, nDCG@10)", runEval},
		{"bench", "benchmark import, feed, paper pages and search on generated and real papers", runBench},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "paperboy:", err)
		}
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(stdout)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Paperboy %s: a self-hosted research-paper feed.\n\nUsage: paperboy <command> [flags]\n\nCommands:\n", version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'paperboy <command> -h' for a command's flags. Every flag has an environment\nvariable (PAPERBOY_...), shown in its help.\n")
}
