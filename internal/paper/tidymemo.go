package paper

import "sync"

// tidyMemo remembers recent TidyText results. Feed pages show the same titles
// and abstracts to many readers, and tidying an abstract with LaTeX costs tens
// of microseconds, a third of a feed page's time at a million papers. Two
// generations keep it bounded: when the current one fills, it becomes the old
// one and the oldest results go.
var tidyMemo struct {
	sync.Mutex
	cur, old map[string]string
}

const tidyMemoSize = 4096

func tidyCached(s string) string {
	tidyMemo.Lock()
	v, ok := tidyMemo.cur[s]
	if !ok {
		v, ok = tidyMemo.old[s]
	}
	tidyMemo.Unlock()
	if ok {
		return v
	}
	v = TidyText(s)
	tidyMemo.Lock()
	if len(tidyMemo.cur) >= tidyMemoSize || tidyMemo.cur == nil {
		tidyMemo.old, tidyMemo.cur = tidyMemo.cur, make(map[string]string, tidyMemoSize)
	}
	tidyMemo.cur[s] = v
	tidyMemo.Unlock()
	return v
}
