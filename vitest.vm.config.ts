import { defineConfig } from 'vitest/config';

/**
 * The real-VM suite (`npm run test:vm`): boots Berth's guest image with the real limactl under QEMU. Apart from
 * `npm test` because a boot under software emulation takes minutes; `.ci/run` runs it after `npm test`.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    include: ['test/vm/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});
