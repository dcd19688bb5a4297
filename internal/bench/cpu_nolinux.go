//go:build !linux

package bench

import "time"

// threadCPUTime is unknown here.
func threadCPUTime() time.Duration { return 0 }
