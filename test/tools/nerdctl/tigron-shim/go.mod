// Stand-in for nerdctl's in-repository test module (mod/tigron), which the Go module proxy does not serve.
// nerdctl's own binary never calls it: one non-test helper file of nerdctl names its interface type, so this
// module declares that type and nothing else.
module github.com/containerd/nerdctl/mod/tigron

go 1.24
