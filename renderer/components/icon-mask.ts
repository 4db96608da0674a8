import { isValidElement, type ReactElement, type ReactNode } from 'react';
import './icon-mask.css';

/**
 * An icon of components/Icons drawn by CSS instead of inline SVG: `maskIconClass(IconStop)` is a
 * class that paints the icon in `currentColor` on the element's `::before` (a CSS mask made from
 * the icon's own SVG, once per icon). An element with it needs no SVG children: a table row's
 * action buttons drop from ~15 elements (and React fibers, and attributes to set) to 6, which a
 * filter keystroke mounts for every new row and each major GC traces.
 *
 *   <IconButton label="Stop web" icon={null} className={maskIconClass(IconStop)} … />
 *
 * The icon function is called once, outside rendering (icons are plain functions of their props,
 * without hooks). Its class is `mask-icon` (size and colour: styles/components.css) plus one of its own.
 */
type IconFn = (props: Record<string, never>) => ReactElement;

const classes = new Map<IconFn, string>();
let sheet: HTMLStyleElement | null = null;

/** camelCase React props to SVG attribute names (viewBox stays as it is). */
const attrName = (k: string) => (k === 'className' ? 'class' : k === 'viewBox' ? k : k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** SVG markup of an element tree of plain SVG elements (fragments flattened). */
export function svgMarkup(node: ReactNode, root = true): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (Array.isArray(node)) return node.map((n: ReactNode) => svgMarkup(n, false)).join('');
  if (typeof node === 'string' || typeof node === 'number') return escapeXml(String(node));
  if (!isValidElement(node)) return '';
  const { children, ...props } = node.props as Record<string, unknown> & { children?: ReactNode };
  if (typeof node.type !== 'string') return svgMarkup(children, root);
  const attrs: Record<string, unknown> = { ...props };
  if (root && node.type === 'svg') {
    // An image of its own: a namespace, and a size in pixels (em has no meaning there); the colour is the mask's alpha only.
    Object.assign(attrs, { xmlns: 'http://www.w3.org/2000/svg', width: 16, height: 16 });
    delete attrs.className;
    delete attrs['aria-hidden'];
    delete attrs.focusable;
  }
  const text = Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== null && v !== false && typeof v !== 'function' && typeof v !== 'object')
    .map(([k, v]) => ` ${attrName(k)}="${escapeXml(String(v))}"`)
    .join('');
  return `<${node.type}${text}>${svgMarkup(children, false)}</${node.type}>`;
}

/** The class that draws `icon` on an element's ::before (see the module comment). */
export function maskIconClass(icon: IconFn): string {
  const known = classes.get(icon);
  if (known) return known;
  const name = `mask-icon mask-icon-${classes.size + 1}`;
  const url = `url("data:image/svg+xml,${encodeURIComponent(svgMarkup(icon({})))}")`;
  sheet ??= document.head.appendChild(document.createElement('style'));
  sheet.append(`.mask-icon-${classes.size + 1}{--mask-icon:${url}}\n`);
  classes.set(icon, name);
  return name;
}
