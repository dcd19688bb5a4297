package bench

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports long work: a bar on a terminal, otherwise a plain line
// every tenth of the way (and at least every 10 seconds), so that logs of a
// long run show it is alive without filling up.
type progress struct {
	w     io.Writer
	name  string
	total int64
	start time.Time

	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	lastTick int64
	lastTime time.Time
}

func newProgress(w io.Writer, name string, total int64) *progress {
	p := &progress{w: w, name: name, total: total, start: time.Now(), lastTime: time.Now()}
	if w == nil {
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription(name),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("papers"),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true),
		)
		return p
	}
	fmt.Fprintf(w, "%s: %d to do\n", name, total)
	return p
}

// set records that done of total are done.
func (p *progress) set(done int64) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Set64(done)
		return
	}
	if tick := done * 10 / max(p.total, 1); tick > p.lastTick || time.Since(p.lastTime) > 10*time.Second {
		p.lastTick, p.lastTime = tick, time.Now()
		el := time.Since(p.start)
		fmt.Fprintf(p.w, "%s: %d of %d (%.0f%%) in %s\n", p.name, done, p.total, 100*float64(done)/float64(max(p.total, 1)), el.Round(100*time.Millisecond))
	}
}

// done ends the report with a summary line.
func (p *progress) done(summary string) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
	}
	fmt.Fprintf(p.w, "%s: %s\n", p.name, summary)
}

// logf writes one progress line.
func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}
