// Draws Berth's icons (an anchor on a rounded square) and writes them as PNG files with
// node:zlib only. Run: node scripts/generate-icons.mjs   (output: resources/icons, resources/tray)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { Buffer } from 'node:buffer';
import process from 'node:process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---- PNG encoding (RGBA, 8 bits per channel) ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// ---- Shapes as signed distance functions in unit coordinates (0..1, y down) ----
const len = (x, y) => Math.hypot(x, y);
const clamp = (v, a, b) => Math.min(b, Math.max(a, v));
const roundedBox = (px, py, cx, cy, half, r) => {
  const qx = Math.abs(px - cx) - half + r;
  const qy = Math.abs(py - cy) - half + r;
  return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const capsule = (px, py, ax, ay, bx, by, r) => {
  const pax = px - ax, pay = py - ay, bax = bx - ax, bay = by - ay;
  const h = clamp((pax * bax + pay * bay) / (bax * bax + bay * bay), 0, 1);
  return len(pax - bax * h, pay - bay * h) - r;
};
const ring = (px, py, cx, cy, radius, half) => Math.abs(len(px - cx, py - cy) - radius) - half;
const arc = (px, py, cx, cy, radius, half, from, to) => {
  const a = Math.atan2(py - cy, px - cx);
  if (a >= from && a <= to) return ring(px, py, cx, cy, radius, half);
  const end = (t) => len(px - (cx + radius * Math.cos(t)), py - (cy + radius * Math.sin(t))) - half;
  return Math.min(end(from), end(to));
};
const triangle = (px, py, pts) => {
  // Max of the edge half-plane distances: exact enough for anti-aliasing.
  let d = -Infinity;
  for (let i = 0; i < 3; i++) {
    const [ax, ay] = pts[i];
    const [bx, by] = pts[(i + 1) % 3];
    const ex = bx - ax, ey = by - ay;
    const el = len(ex, ey);
    const nx = ey / el, ny = -ex / el; // outward for clockwise (y down) order
    d = Math.max(d, (px - ax) * nx + (py - ay) * ny);
  }
  return d;
};
const fluke = (cx, cy, radius, angle, size, dir) => {
  const ex = cx + radius * Math.cos(angle), ey = cy + radius * Math.sin(angle);
  // Tangent pointing up along the arc, and the outward normal.
  const tx = dir * Math.sin(angle), ty = -dir * Math.cos(angle);
  const nx = Math.cos(angle), ny = Math.sin(angle);
  const tip = [ex + tx * size * 1.25, ey + ty * size * 1.25];
  const b1 = [ex + nx * size * 0.75 - tx * size * 0.2, ey + ny * size * 0.75 - ty * size * 0.2];
  const b2 = [ex - nx * size * 0.55 - tx * size * 0.2, ey - ny * size * 0.55 - ty * size * 0.2];
  const pts = [tip, b1, b2];
  // Orient clockwise so triangle() has outward normals.
  const cross = (b1[0] - tip[0]) * (b2[1] - tip[1]) - (b1[1] - tip[1]) * (b2[0] - tip[0]);
  return cross > 0 ? pts : [tip, b2, b1];
};

/** The anchor: ring, shank, stock, curved arms with flukes. `w` scales stroke widths. */
function anchor(px, py, w) {
  const cx = 0.5, arcY = 0.5, arcR = 0.27;
  const from = (18 * Math.PI) / 180, to = (162 * Math.PI) / 180;
  const fl = 0.075 * Math.min(w, 1.35);
  return Math.min(
    ring(px, py, cx, 0.2, 0.065, 0.022 * w),
    capsule(px, py, cx, 0.27, cx, 0.8, 0.03 * w),
    capsule(px, py, 0.35, 0.36, 0.65, 0.36, 0.026 * w),
    arc(px, py, cx, arcY, arcR, 0.03 * w, from, to),
    triangle(px, py, fluke(cx, arcY, arcR, from, fl, 1)),
    triangle(px, py, fluke(cx, arcY, arcR, to, fl, -1)),
  );
}

const mix = (a, b, t) => a + (b - a) * t;
const TOP = [58, 134, 255];
const BOTTOM = [24, 72, 178];

/**
 * Renders one icon. kind: 'app' (glyph on the rounded square), 'template' (black glyph
 * on transparent, for macOS menu bars) or 'badge' (small rounded square, for other trays).
 */
function render(size, kind) {
  const ss = 4; // 4x4 supersampling
  const out = Buffer.alloc(size * size * 4);
  const small = size <= 32;
  const w = small ? 1.7 : 1.25;
  const inset = kind === 'app' ? 0.1 : kind === 'badge' ? 0.02 : 0;
  const glyphScale = kind === 'app' ? 0.62 : kind === 'badge' ? 0.86 : 0.98;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0, fg = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size;
          const v = (y + (sy + 0.5) / ss) / size;
          if (kind !== 'template' && roundedBox(u, v, 0.5, 0.5, 0.5 - inset, 0.2 * (1 - inset * 2)) <= 0) bg++;
          const gu = (u - 0.5) / glyphScale + 0.5;
          const gv = (v - 0.5) / glyphScale + 0.5;
          if (anchor(gu, gv, w) <= 0) fg++;
        }
      }
      const n = ss * ss;
      const i = (y * size + x) * 4;
      const t = y / size;
      if (kind === 'template') {
        out.set([0, 0, 0, Math.round((fg / n) * 255)], i);
        continue;
      }
      const a = bg / n;
      const f = Math.min(fg / n, a);
      const base = [mix(TOP[0], BOTTOM[0], t), mix(TOP[1], BOTTOM[1], t), mix(TOP[2], BOTTOM[2], t)];
      // White glyph over the gradient; alpha is the square's coverage.
      const c = a > 0 ? base.map((ch) => Math.round(ch + (255 - ch) * (f / a))) : [0, 0, 0];
      out.set([c[0], c[1], c[2], Math.round(a * 255)], i);
    }
  }
  return encodePng(size, size, out);
}

const outputs = [
  ['resources/icons/icon.png', 512, 'app'],
  ['resources/tray/trayTemplate.png', 16, 'template'],
  ['resources/tray/trayTemplate@2x.png', 32, 'template'],
  ['resources/tray/tray.png', 16, 'badge'],
  ['resources/tray/tray@2x.png', 32, 'badge'],
];

for (const [rel, size, kind] of outputs) {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, render(size, kind));
  process.stdout.write(`wrote ${rel} (${size}x${size}, ${kind})\n`);
}
