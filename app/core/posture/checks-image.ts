import type { Check } from './check';
import { hit } from './check';
import { formatBytes } from './minimality';

export const imageChecks: Check[] = [
  {
    id: 'image-floating-tag',
    group: 'image',
    title: 'Floating image tag',
    level: null,
    fix: 'use a versioned tag or a digest (image@sha256:…)',
    fixId: null,
    cis: '5.27',
    pss: null,
    evaluate: (v) => {
      if (v.image.includes('@sha256:') || /^sha256:/.test(v.image)) return null;
      const last = v.image.split('/').pop() ?? '';
      return !last.includes(':') || last.endsWith(':latest') ? hit(`"${v.image}" follows a moving tag: a re-pull can bring different code.`, 'info') : null;
    },
  },
  {
    id: 'image-full-distro',
    group: 'image',
    title: 'Full distribution image',
    level: 'hardened',
    fix: 'build FROM a slim or distroless base',
    fixId: null,
    cis: '4.3',
    pss: null,
    evaluate: (v) =>
      v.imageInfo?.class === 'full' ? hit(`The image is a full ${v.imageInfo.distro ?? 'distribution'} (${formatBytes(v.imageInfo.sizeBytes)}): every extra tool is one more for an intruder.`, 'low') : null,
  },
  {
    id: 'image-package-manager',
    group: 'image',
    title: 'Package manager in the image',
    level: 'hardened',
    fix: 'use a multi-stage build whose final stage has no package manager',
    fixId: null,
    cis: '4.3',
    pss: null,
    evaluate: (v) => (v.imageInfo?.packageManager ? hit(`${v.imageInfo.packageManager} is in the image: an intruder can install tools.`, 'low') : null),
  },
  {
    id: 'image-shell',
    group: 'image',
    title: 'Shell in the image',
    level: null,
    fix: 'a distroless final stage has no shell',
    fixId: null,
    cis: null,
    pss: null,
    evaluate: (v) => (v.imageInfo?.shell ? hit(`${v.imageInfo.shell} is in the image.`, 'info') : null),
  },
  {
    id: 'image-root-user',
    group: 'image',
    title: 'Image runs as root by default',
    level: null,
    fix: 'add a USER instruction to the Dockerfile',
    fixId: null,
    cis: '4.1',
    pss: null,
    evaluate: (v) => (v.imageInfo && !v.imageInfo.nonRootUser ? hit('The image has no non-root USER: any container from it runs as root unless told otherwise.', 'info') : null),
  },
  {
    id: 'image-size',
    group: 'image',
    title: 'Large image',
    level: null,
    fix: 'trim the final stage',
    fixId: null,
    cis: null,
    pss: null,
    evaluate: (v) =>
      v.imageInfo && (v.imageInfo.sizeBand === 'large' || v.imageInfo.sizeBand === 'huge') ? hit(`The image is ${formatBytes(v.imageInfo.sizeBytes)} (${v.imageInfo.sizeBand}).`, 'info') : null,
  },
];
