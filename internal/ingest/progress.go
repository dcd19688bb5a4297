package ingest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// bar is the terminal progress bar: bytes read of the file's size, with
// papers per second. Without a terminal it does nothing, so logs and pipes
// get the summary line only.
type bar struct {
	pb *progressbar.ProgressBar
}

func newBar(w io.Writer, name string, size int64) *bar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &bar{}
	}
	return &bar{pb: progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(filepath.Base(name)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(true),
	)}
}

func (b *bar) update(p Progress) {
	if b.pb == nil {
		return
	}
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = float64(p.Records) / s
	}
	b.pb.Describe(fmt.Sprintf("%s: %d papers (%.0f/s)", filepath.Base(p.Name), p.Records, rate))
	b.pb.Set64(p.Bytes)
}

func (b *bar) finish() {
	if b.pb != nil {
		b.pb.Finish()
	}
}
