import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { podsKubeconfigPath } from '../../app/composition-pods';

describe('which kubeconfig the Pods page reads', () => {
  const env = { HOME: '/home/al', KUBECONFIG: ['/k/one', '/k/two'].join(path.delimiter) };
  it('Preferences first, then BERTH_KUBECONFIG, the VM’s cluster, KUBECONFIG’s first file, ~/.kube/config', () => {
    expect(podsKubeconfigPath({ ...env, BERTH_KUBECONFIG: '/b' }, { setting: '/pref', vmKubeconfig: '/vm' })).toBe('/pref');
    expect(podsKubeconfigPath({ ...env, BERTH_KUBECONFIG: '/b' }, { setting: '', vmKubeconfig: '/vm' })).toBe('/b');
    expect(podsKubeconfigPath(env, { setting: '', vmKubeconfig: '/vm' })).toBe('/vm');
    expect(podsKubeconfigPath(env, { setting: '', vmKubeconfig: null })).toBe('/k/one');
    expect(podsKubeconfigPath({ HOME: '/home/al' })).toBe(path.join('/home/al', '.kube', 'config'));
  });
});
