// Command containerd-stargz-grpc serves the stargz snapshotter (lazy pulling of eStargz images) on
// containerd's snapshots gRPC API, for Berth's tests.
//
// Upstream's command of the same name lives in a module of its own (github.com/containerd/stargz-snapshotter/cmd)
// that the Go module proxy does not serve, so this is Berth's own small main over the snapshotter's library
// (github.com/containerd/stargz-snapshotter/service), with the same flags and config file format. Left out:
// the CRI and kubeconfig keychains (credentials come from the Docker config only) and the fuse manager.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	snapshotsapi "github.com/containerd/containerd/api/services/snapshots/v1"
	"github.com/containerd/containerd/v2/contrib/snapshotservice"
	"github.com/containerd/log"
	"github.com/containerd/stargz-snapshotter/service"
	"github.com/containerd/stargz-snapshotter/service/keychain/dockerconfig"
	"github.com/pelletier/go-toml/v2"
	"google.golang.org/grpc"
)

// Version is set at build time (-X main.Version=…).
var Version = "unknown"

func main() {
	address := flag.String("address", "/run/containerd-stargz-grpc/containerd-stargz-grpc.sock", "address for the snapshotter's gRPC server")
	configPath := flag.String("config", "", "path to the configuration file (upstream's config.toml format)")
	root := flag.String("root", "/var/lib/containerd-stargz-grpc", "path to the root directory for this snapshotter")
	logLevel := flag.String("log-level", "info", "set the logging level [trace, debug, info, warn, error, fatal, panic]")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *version {
		fmt.Printf("containerd-stargz-grpc %s (berth test build)\n", Version)
		return
	}
	if err := log.SetLevel(*logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "containerd-stargz-grpc: %v\n", err)
		os.Exit(2)
	}
	ctx := log.WithLogger(context.Background(), log.L)
	if err := run(ctx, *address, *configPath, *root); err != nil {
		log.G(ctx).WithError(err).Fatal("containerd-stargz-grpc failed")
	}
}

func run(ctx context.Context, address, configPath, root string) error {
	var config service.Config
	if configPath != "" {
		b, err := os.ReadFile(configPath)
		if err != nil {
			return err
		}
		if err := toml.Unmarshal(b, &config); err != nil {
			return fmt.Errorf("config file %q: %w", configPath, err)
		}
	}
	sn, err := service.NewStargzSnapshotterService(ctx, root, &config, service.WithCredsFuncs(dockerconfig.NewDockerconfigKeychain(ctx)))
	if err != nil {
		return err
	}
	defer sn.Close()

	rpc := grpc.NewServer()
	snapshotsapi.RegisterSnapshotsServer(rpc, snapshotservice.FromSnapshotter(sn))
	if err := os.MkdirAll(filepath.Dir(address), 0o700); err != nil {
		return err
	}
	if err := os.RemoveAll(address); err != nil {
		return err
	}
	l, err := net.Listen("unix", address)
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() { served <- rpc.Serve(l) }()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case s := <-sig:
		log.G(ctx).Infof("got %v, stopping", s)
		rpc.GracefulStop()
		return nil
	case err := <-served:
		return err
	}
}
