import type { ImageFilter, ImageSummary } from '../../../app/contract/images';
import { labelStrings } from '../../lib/format';
import { SearchIndex } from '../../lib/search-index';

/** Pure helpers of the images page: names, filters, search and totals. */

export const FILTERS: ReadonlyArray<{ id: ImageFilter; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'inUse', label: 'In use' },
  { id: 'unused', label: 'Unused' },
  { id: 'dangling', label: 'Dangling' },
];

export function matchesFilter(img: ImageSummary, f: ImageFilter): boolean {
  switch (f) {
    case 'all':
      return true;
    case 'inUse':
      return img.inUse;
    case 'unused':
      return !img.inUse;
    case 'dangling':
      return img.dangling;
  }
}

/** `sha256:0123456789abcdef…` → `0123456789ab`, as the Docker CLI shows IDs. */
export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** `127.0.0.1:5000/team/app:1.2` → repository and tag (the tag after the last ":" past the last "/"). */
export function splitTag(ref: string): { repository: string; tag: string } {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  if (colon > base.lastIndexOf('/')) return { repository: base.slice(0, colon), tag: base.slice(colon + 1) };
  return { repository: base, tag: at >= 0 ? ref.slice(at + 1, at + 20) : '' };
}

/** The repository of an image without a tag that was pulled by digest: `app@sha256:…` → `app`. */
const digestRepo = (img: ImageSummary): string | null => {
  const d = img.repoDigests[0];
  return d ? d.slice(0, d.indexOf('@')) : null;
};

/** The name to show (and to act on) for an image: its first tag, or `<none>`. */
export function primaryName(img: ImageSummary): string {
  return img.repoTags[0] ?? (digestRepo(img) ? `${digestRepo(img)}@<none>` : '<none>');
}

/** How an image is named in a confirmation: its tags, or `<none> (0123456789ab)`. */
export function namesForConfirm(img: ImageSummary): string[] {
  return img.repoTags.length > 0 ? [...img.repoTags] : [`<none> (${shortId(img.id)})`];
}

/** What identifies the image in calls: a tag when it has exactly one, else its ID. */
export const targetOf = (img: ImageSummary): string => (img.repoTags.length === 1 ? (img.repoTags[0] as string) : img.id);

export const searchable = (img: ImageSummary): string[] => [...img.repoTags, ...img.repoDigests, img.id, img.dangling ? '<none>' : '', ...labelStrings(img.labels)];

/** The searchable text of each image is built once per image object (lib/search-index), not per keystroke. */
export const imageSearch = new SearchIndex<ImageSummary>(searchable);

export const matchesSearch = (img: ImageSummary, q: string): boolean => imageSearch.matches(img, q);

export interface Totals {
  count: number;
  bytes: number;
}

export function totals(rows: readonly ImageSummary[]): Totals {
  let bytes = 0;
  for (const r of rows) bytes += r.size;
  return { count: rows.length, bytes };
}

export function countsByFilter(rows: readonly ImageSummary[]): Record<ImageFilter, number> {
  const out: Record<ImageFilter, number> = { all: rows.length, inUse: 0, unused: 0, dangling: 0 };
  for (const r of rows) {
    if (r.inUse) out.inUse++;
    else out.unused++;
    if (r.dangling) out.dangling++;
  }
  return out;
}

/** `/bin/sh -c #(nop)  CMD ["sh"]` → `CMD ["sh"]`; `/bin/sh -c echo hi` → `RUN echo hi`. */
export function instructionOf(createdBy: string): string {
  const s = createdBy.trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s+(.*)$/s.exec(s);
  if (nop) return (nop[1] as string).trim();
  const run = /^\/bin\/sh -c (.*)$/s.exec(s);
  if (run) return `RUN ${(run[1] as string).trim()}`;
  return s;
}
