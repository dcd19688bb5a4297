package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"

	"github.com/paperboy/paperboy/internal/sqlite"
)

// Command is `paperboy bench`: it reads its flags from args and runs the
// benchmarks, the table on stdout and progress on stderr. handler builds the
// web handler on a store, as `paperboy serve` builds it (nil: the store
// alone is timed).
func Command(ctx context.Context, args []string, stdout, stderr io.Writer, handler func(*sqlite.Store) (http.Handler, error)) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o Options
	sizes := fs.String("sizes", "100k,1M", "`sizes` of the generated sets, comma-separated (100000, 100k, 1M)")
	fs.BoolVar(&o.Real, "real", false, "also measure sets of the first real papers (up to about 116,000)")
	fs.StringVar(&o.Dir, "dir", "", "`directory` for the databases (default $TMPDIR/paperboy-bench); a complete one is reused")
	fs.BoolVar(&o.Fresh, "fresh", false, "rebuild the databases even when they could be reused")
	fs.BoolVar(&o.Remove, "remove", false, "delete each database after measuring it (1M papers take about 2.5 GB)")
	fs.StringVar(&o.DataDir, "data", "", "the shared data `directory` (default: ../shared/data, found from the working directory)")
	fs.StringVar(&o.Via, "via", ViaImporter, "import through the `importer` (a generated JSON lines file) or the store (UpsertPapers)")
	fs.IntVar(&o.BatchSize, "batch", 2000, "papers per transaction")
	fs.IntVar(&o.Requests, "requests", 300, "requests timed per kind of page")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the generated sets and of the requests")
	noWeb := fs.Bool("store-only", false, "time the store calls only, not the web pages")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: paperboy bench [flags]\n\n"+
			"Measures import throughput, database size and the server time of feed and paper pages on\n"+
			"papers generated from the real ones in ../shared/data, and prints a table.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	var err error
	if o.Sizes, err = ParseSizes(*sizes); err != nil {
		return err
	}
	if !*noWeb {
		o.Handler = handler
	}
	o.Out, o.Progress = stdout, stderr
	_, err = Run(ctx, o)
	return err
}
