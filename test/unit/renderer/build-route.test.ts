import { describe, expect, it } from 'vitest';
import { builderLabel, builderNote } from '../../../renderer/features/images/build-route';

const plain = { secrets: [], ssh: [], cacheFrom: [], cacheTo: [], platforms: [] as string[] };
const withSecret = { ...plain, secrets: [{ id: 't', env: 'T' }] };

describe('builderNote: which builder a build gets, before it starts', () => {
  it('an engine with one builder (nerdctl) gets no note', () => {
    expect(builderNote(undefined, plain)).toBeNull();
  });
  it("dockerd's own BuildKit for what it can take; one platform is fine", () => {
    expect(builderNote({ engine: true, daemon: false }, { ...plain, platforms: ['linux/amd64'] })).toEqual({ text: "Builds with dockerd's own BuildKit, straight into its image store.", warn: false });
    expect(builderNote({ engine: true, daemon: true }, null)?.text).toMatch(/^Builds with dockerd's own BuildKit/);
  });
  it('the BuildKit daemon for what needs a session, naming it', () => {
    expect(builderNote({ engine: true, daemon: true }, { ...withSecret, platforms: ['linux/amd64', 'linux/arm64'], sourceDateEpoch: 0 })).toEqual({
      text: "Builds with the BuildKit daemon: secrets, several platforms, reproducible timestamps need it (dockerd's own BuildKit takes them only through a client session). The image is then loaded into dockerd.",
      warn: false,
    });
    expect(builderNote({ engine: false, daemon: true }, plain)?.text).toBe('Builds with the BuildKit daemon; the image is then loaded into the engine.');
  });
  it('a warning when the options need a daemon that is not configured, or the engine has only the classic builder', () => {
    expect(builderNote({ engine: true, daemon: false }, { ...plain, cacheTo: ['type=local,dest=/c'] })).toEqual({
      text: "dockerd's own BuildKit cannot take cache import/export, and no BuildKit daemon is configured (BUILDKIT_HOST): leave them out or configure one.",
      warn: true,
    });
    expect(builderNote({ engine: false, daemon: false }, plain)).toMatchObject({ text: expect.stringMatching(/^Builds with the classic builder/), warn: false });
    expect(builderNote({ engine: false, daemon: false }, { ...plain, ssh: ['default'] })?.warn).toBe(true);
  });
});

describe('builderLabel: the builder the engine said it runs', () => {
  it('names the route and its reason', () => {
    expect(builderLabel({ builder: 'buildkit' })).toBe('BuildKit');
    expect(builderLabel({ builder: 'buildkit', via: 'engine', reason: 'r' })).toBe('BuildKit (r)');
    expect(builderLabel({ builder: 'buildkit', via: 'daemon', reason: 'secrets need it' })).toBe('BuildKit daemon (secrets need it)');
    expect(builderLabel({ builder: 'classic', reason: 'Podman' })).toBe('Classic builder (Podman)');
  });
});
