/** The name a converted image gets by default: the same repository, its tag with `-esgz`. */
export function estargzName(ref: string): string {
  const at = ref.lastIndexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  const hasTag = colon > base.lastIndexOf('/');
  return hasTag ? `${base}-esgz` : `${base}:latest-esgz`;
}
