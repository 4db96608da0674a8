// Package tig declares the one type nerdctl's command package needs to compile (see ../go.mod).
package tig

// T is the subset of testing.T that nerdctl's non-test helpers accept.
type T interface {
	Helper()
	Log(args ...any)
	Fail()
	FailNow()
}
