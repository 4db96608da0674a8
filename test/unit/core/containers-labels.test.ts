import { describe, expect, it } from 'vitest';
import { composeFromLabels, healthFromStatus, isoOrNull, toContainerState } from '../../../app/core/containers-labels';

describe('compose labels', () => {
  it('extracts project, service, working dir, config files, number and one-off', () => {
    expect(
      composeFromLabels({
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'db',
        'com.docker.compose.project.working_dir': '/srv/shop',
        'com.docker.compose.project.config_files': '/srv/shop/compose.yaml,/srv/shop/override.yaml',
        'com.docker.compose.container-number': '2',
        'com.docker.compose.oneoff': 'False',
      }),
    ).toEqual({ project: 'shop', service: 'db', workingDir: '/srv/shop', configFiles: ['/srv/shop/compose.yaml', '/srv/shop/override.yaml'], containerNumber: 2, oneOff: false });
  });
  it('is null without a project and a service', () => {
    expect(composeFromLabels({ 'com.docker.compose.project': 'shop' })).toBeNull();
    expect(composeFromLabels({})).toBeNull();
    expect(composeFromLabels(null)).toBeNull();
  });
});

describe('status words', () => {
  it.each([
    ['Up 3 minutes (healthy)', 'healthy'],
    ['Up 3 seconds (health: starting)', 'starting'],
    ['Up 1 hour (unhealthy)', 'unhealthy'],
    ['Up 2 hours', null],
    ['Exited (0) 5 seconds ago', null],
  ])('health of "%s"', (status, health) => expect(healthFromStatus(status)).toBe(health));

  it('maps states, counting an unknown or empty one as created', () => {
    expect(toContainerState('running')).toBe('running');
    expect(toContainerState('Paused')).toBe('paused');
    expect(toContainerState('')).toBe('created');
    expect(toContainerState(undefined)).toBe('created');
  });

  it('turns the zero time into null and keeps real times as ISO', () => {
    expect(isoOrNull('0001-01-01T00:00:00Z')).toBeNull();
    expect(isoOrNull('')).toBeNull();
    expect(isoOrNull('2024-05-01T10:20:30.123456789Z')).toBe('2024-05-01T10:20:30.123Z');
  });
});
