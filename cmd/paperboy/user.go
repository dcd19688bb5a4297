package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/paperboy/paperboy/internal/community"
	"golang.org/x/term"
)

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, "Usage: paperboy user create [flags] USERNAME EMAIL\n\nCreates an account (verified, since an operator vouches for it). Run 'paperboy user create -h' for flags.")
		if len(args) == 0 {
			return errors.New("user: no subcommand given")
		}
		return nil
	}
	if args[0] != "create" {
		return fmt.Errorf("user: unknown subcommand %q (only create)", args[0])
	}
	var (
		db    string
		admin bool
		lc    logConfig
	)
	f := newFlags("user create", "user create [flags] USERNAME EMAIL\n\nThe password is read from $PAPERBOY_PASSWORD, else from the terminal (asked twice), else from\nthe first line of standard input.", stderr)
	f.str(&db, "db", "PAPERBOY_DB", "paperboy.db", "SQLite database file")
	f.BoolVar(&admin, "admin", false, "make the account an administrator (admins appoint moderators)")
	lc.register(f)
	if err := f.parse(args[1:], true); err != nil {
		return err
	}
	if f.NArg() != 2 {
		f.Usage()
		return errors.New("user create: want USERNAME and EMAIL")
	}
	password, err := readPassword(stderr)
	if err != nil {
		return err
	}
	store, logger, err := openStore(ctx, db, lc, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := community.New(store, nil, nil, community.Options{Logger: logger})
	u, err := svc.CreateUser(ctx, f.Arg(0), f.Arg(1), password, admin)
	if err != nil {
		return fmt.Errorf("user create: %w", err)
	}
	role := "user"
	if admin {
		role = "administrator"
	}
	fmt.Fprintf(stdout, "created %s %s <%s>\n", role, u.Username, u.Email)
	return nil
}

// readPassword takes the password from the environment, a terminal or stdin,
// never from a flag (flags show in process lists).
func readPassword(stderr io.Writer) (string, error) {
	if p, ok := os.LookupEnv("PAPERBOY_PASSWORD"); ok {
		return p, nil
	}
	fd := int(os.Stdin.Fd())
	if term.IsTerminal(fd) {
		fmt.Fprint(stderr, "Password: ")
		p1, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		p2, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(p1) != string(p2) {
			return "", errors.New("user create: the passwords differ")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("user create: no password: set $PAPERBOY_PASSWORD or pipe it on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
