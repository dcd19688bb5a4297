package procmem

import (
	"runtime"
	"testing"
)

func TestPeakRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux's")
	}
	before := PeakRSS()
	if before <= 0 {
		t.Fatal("no peak RSS on Linux")
	}
	b := make([]byte, 64<<20)
	for i := range b {
		b[i] = 1
	}
	if after := PeakRSS(); after < before+32<<20 {
		t.Errorf("peak RSS %d after touching 64 MiB, was %d", after, before)
	}
	runtime.KeepAlive(b)
}
