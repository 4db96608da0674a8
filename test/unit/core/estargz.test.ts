import { describe, expect, it } from 'vitest';
import { ESTARGZ_TOC_ANNOTATION, hasStargzSnapshotter, isEstargzImage } from '../../../app/core/estargz';
import { estargzName } from '../../../renderer/features/images/estargz-name';

const layer = (annotations?: Record<string, string>) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:aa', size: 1, ...(annotations ? { annotations } : {}) });

describe('eStargz', () => {
  it('an image is eStargz when every layer of its manifest carries the TOC digest', () => {
    expect(isEstargzImage({ Manifest: { layers: [layer({ [ESTARGZ_TOC_ANNOTATION]: 'sha256:1' }), layer({ [ESTARGZ_TOC_ANNOTATION]: 'sha256:2' })] } })).toBe(true);
    expect(isEstargzImage({ Manifest: { layers: [layer({ [ESTARGZ_TOC_ANNOTATION]: 'sha256:1' }), layer()] } })).toBe(false);
    expect(isEstargzImage({ Manifest: { layers: [] } })).toBe(false);
    expect(isEstargzImage({})).toBe(false);
  });
  it('the stargz snapshotter is known from nerdctl info’s storage plugins', () => {
    expect(hasStargzSnapshotter({ Plugins: { Storage: ['native', 'overlayfs', 'stargz'] } })).toBe(true);
    expect(hasStargzSnapshotter({ Plugins: { Storage: ['native', 'overlayfs'] } })).toBe(false);
    expect(hasStargzSnapshotter({})).toBe(false);
  });
  it('a converted image is named after its source, with -esgz on the tag', () => {
    expect(estargzName('127.0.0.1:5000/team/app:1.2')).toBe('127.0.0.1:5000/team/app:1.2-esgz');
    expect(estargzName('127.0.0.1:5000/team/app')).toBe('127.0.0.1:5000/team/app:latest-esgz');
    expect(estargzName('app@sha256:abc')).toBe('app:latest-esgz');
  });
});
