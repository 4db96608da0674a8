import { BerthError } from '../contract/errors';

/** `os/arch[/variant]` split; amd64's default variant (v1) and arm64's (v8) are the same as none. */
function parts(p: string): { os: string; arch: string; variant: string } {
  const [os = '', arch = '', variant = ''] = p.toLowerCase().split('/');
  const plain = (arch === 'amd64' && variant === 'v1') || (arch === 'arm64' && variant === 'v8');
  return { os, arch, variant: plain ? '' : variant };
}

/** Whether a platform the image holds serves the one asked for (a variant asked must match; none asked takes any). */
export function platformServes(have: string, wanted: string): boolean {
  const h = parts(have);
  const w = parts(wanted);
  return h.os === w.os && h.arch === w.arch && (w.variant === '' || h.variant === w.variant);
}

/**
 * The error for running `image` on a platform it does not hold here (Docker's create refuses that; nerdctl and
 * Podman would run the local image's own platform without a word), or null when it holds it or nothing is known.
 */
export function platformMismatch(image: string, wanted: string, have: readonly string[]): BerthError | null {
  const known = have.filter(Boolean);
  if (known.length === 0 || known.some((h) => platformServes(h, wanted))) return null;
  return new BerthError('IMAGE_NOT_FOUND', `"${image}" has no ${wanted} image here (it holds ${known.join(', ')}). Nothing was created.`, {
    hint: `Pull it for ${wanted} first (Pull… with that platform), or run it without a platform.`,
    details: { image, platform: wanted, platforms: known },
  });
}
