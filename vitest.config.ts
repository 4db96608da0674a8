import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts', './test/reliability/support/table-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/contract/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/peers/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // The Docker-API contract suites again, against a private Podman service (test/support/podman-setup.ts).
          name: 'podman',
          include: ['test/contract/**/*.test.ts'],
          // Suites that do not exercise the engine's Docker API run once, in the engine project: the VM suite drives
          // Lima; engine-errors, engine-restart, images-private-engine and system-prune start their own dockerd;
          // terminals are host processes (its one container shell needs exec resize, which Podman 4.3 lacks).
          exclude: [
            'test/contract/vm-*.test.ts',
            'test/contract/engine-errors.test.ts',
            'test/contract/engine-restart.test.ts',
            'test/contract/images-private-engine.test.ts',
            'test/contract/system-prune.test.ts',
            'test/contract/terminals.test.ts',
            // dockerd's own BuildKit (Podman builds with Buildah: its classic route is images-build.test.ts).
            'test/contract/images-build-dockerd-buildkit.test.ts',
          ],
          environment: 'node',
          globalSetup: ['test/support/podman-setup.ts'],
          // Skips (naming the difference) the tests that meet a known Podman 4.3 difference (test/support/podman-differences.ts).
          setupFiles: ['test/support/podman-skip.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // The engine contract suites again, on Berth's nerdctl adapter over a private containerd (test/support/nerdctl-setup.ts).
          name: 'nerdctl',
          // The suites that run green on nerdctl so far (volumes and networks arrange through test/contract/objects-engine.ts;
          // tests needing a capability nerdctl lacks skip naming it; images through test/contract/images-engine.ts;
          // images-transfer asserts totals only where the engine lacks layerProgress). nerdctl's own suites are in test/nerdctl
          // (its registry credentials, its system prune in a namespace of its own, Files helpers). Not here: images-auth (Berth's
          // own credential lookup, which nerdctl does itself), system-prune (its own dockerd), harness (dockerd's own), the
          // engine address/restart/private-engine suites (Docker sockets and daemons), terminals (host processes), vm-*.
          include: ['test/contract/{containers,logs,stats,stats-cgroup,exec,engine-errors,nerdctl-parsers-live,volumes,networks,system,events,containers-recreate,containers-run,security,debug,images,image-usage,images-archive,files,images-transfer,alerts,containers-ids}.test.ts', 'test/e2e/nerdctl-flow.test.ts', 'test/e2e/nerdctl-run-dialog.test.ts', 'test/e2e/nerdctl-pull-dialog.test.ts', 'test/e2e/images-buildkit-nerdctl.test.ts', 'test/nerdctl/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/nerdctl-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // Pods against a private control plane (etcd + kube-apiserver, test/support/kube.ts), started per file.
          name: 'kube',
          include: ['test/kube/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
