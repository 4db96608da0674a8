import { describe, expect, it } from 'vitest';
import { chooseBuildRoute } from '../../../app/adapters/engine/docker-api/images-build-route';
import { BerthError } from '../../../app/contract/errors';

const base = { ownWhyNot: null, daemonWhyNot: null, needs: [] as string[], daemonAsked: false, push: false };
const refused = (o: Parameters<typeof chooseBuildRoute>[0]) => {
  try {
    chooseBuildRoute(o);
  } catch (e) {
    return e as BerthError;
  }
  throw new Error('expected a refusal');
};

describe('chooseBuildRoute: which builder a dockerd build runs', () => {
  it("dockerd's own BuildKit for what it can take, even with a daemon configured", () => {
    expect(chooseBuildRoute(base)).toEqual({ route: 'engine', reason: "dockerd's own, straight into its image store" });
    expect(chooseBuildRoute({ ...base, daemonWhyNot: 'none configured' }).route).toBe('engine');
  });
  it('the daemon for options that need a session, when asked, or when dockerd has no BuildKit of its own', () => {
    expect(chooseBuildRoute({ ...base, needs: ['secrets', 'SSH forwarding'] })).toEqual({
      route: 'daemon',
      reason: "secrets, SSH forwarding need a BuildKit daemon: dockerd's own BuildKit takes them only through a client session",
    });
    expect(chooseBuildRoute({ ...base, daemonAsked: true })).toEqual({ route: 'daemon', reason: 'BERTH_DOCKER_BUILDKIT=daemon asks for the BuildKit daemon' });
    expect(chooseBuildRoute({ ...base, ownWhyNot: 'Podman builds with Buildah' })).toEqual({ route: 'daemon', reason: 'Podman builds with Buildah' });
  });
  it('asking for the daemon without one configured keeps dockerd’s own BuildKit', () => {
    expect(chooseBuildRoute({ ...base, daemonAsked: true, daemonWhyNot: 'none configured' }).route).toBe('engine');
  });
  it('the classic builder when there is no BuildKit at all', () => {
    expect(chooseBuildRoute({ ...base, ownWhyNot: 'DOCKER_BUILDKIT=0 asks for the classic builder', daemonWhyNot: 'unused' })).toEqual({ route: 'classic', reason: 'DOCKER_BUILDKIT=0 asks for the classic builder' });
  });
  it('refuses, typed, what no builder here can take', () => {
    const e = refused({ ...base, needs: ['secrets'], daemonWhyNot: 'no BuildKit daemon is configured' });
    expect(e).toBeInstanceOf(BerthError);
    expect(e).toMatchObject({ code: 'NOT_SUPPORTED', details: { needs: ['secrets'] } });
    expect(e.message).toBe("dockerd's own BuildKit cannot take secrets without a client session, and no BuildKit daemon is configured: no BuildKit daemon is configured.");
    expect(refused({ ...base, push: true })).toMatchObject({ code: 'NOT_SUPPORTED', message: 'Push after build is not wired for dockerd builds yet.' });
  });
});
