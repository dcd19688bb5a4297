package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/paperboy/paperboy/internal/sqlite"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// flags wraps a FlagSet so that every flag has an environment variable that
// sets its default, named in its help.
type flags struct {
	*flag.FlagSet
}

func newFlags(name, usage string, stderr io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: paperboy %s\n\nFlags (each may be set by the environment variable shown):\n", usage)
		fs.PrintDefaults()
	}
	return &flags{fs}
}

func (f *flags) str(p *string, name, env, def, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		def = v
	}
	f.StringVar(p, name, def, usage+" ($"+env+")")
}

func (f *flags) boolean(p *bool, name, env string, def bool, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			def = b
		}
	}
	f.BoolVar(p, name, def, usage+" ($"+env+")")
}

func (f *flags) integer(p *int, name, env string, def int, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		if n, err := strconv.Atoi(v); err == nil {
			def = n
		}
	}
	f.IntVar(p, name, def, usage+" ($"+env+")")
}

func (f *flags) duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	if v, ok := os.LookupEnv(env); ok {
		if d, err := time.ParseDuration(v); err == nil {
			def = d
		}
	}
	f.DurationVar(p, name, def, usage+" ($"+env+")")
}

// logConfig is shared by the commands that log.
type logConfig struct {
	level  string
	format string
}

func (l *logConfig) register(f *flags) {
	f.str(&l.level, "log-level", "PAPERBOY_LOG_LEVEL", "info", "log level: debug, info, warn, error")
	f.str(&l.format, "log-format", "PAPERBOY_LOG_FORMAT", "text", "log format: text or json")
}

func (l *logConfig) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(l.level)); err != nil {
		return nil, fmt.Errorf("-log-level %q: want debug, info, warn or error", l.level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(l.format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want text or json", l.format)
}

// parse parses args, rejecting stray positional arguments when none are expected.
func (f *flags) parse(args []string, positional bool) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	if !positional && f.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q (flags go before arguments; see -h)", f.Name(), f.Arg(0))
	}
	return nil
}

// openStore makes the logger the flags ask for and opens the database: the
// start of every command that works on one.
func openStore(ctx context.Context, db string, lc logConfig, stderr io.Writer) (*sqlite.Store, *slog.Logger, error) {
	logger, err := lc.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	return store, logger, nil
}
