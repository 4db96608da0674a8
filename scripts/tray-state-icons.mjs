// Makes resources/tray/tray-<state>.png (and @2x) from tray.png: the same icon with a status dot in the
// bottom-right corner (green running, amber starting, grey stopped, red error). macOS uses template
// images (masks), which cannot carry colour: it keeps trayTemplate.png. Run: node scripts/tray-state-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'tray');
const COLORS = { running: [26, 127, 55], starting: [191, 135, 0], stopped: [110, 118, 129], error: [207, 34, 46] };

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function decode(file) {
  const buf = fs.readFileSync(file);
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 6 || data[12] !== 0) throw new Error(`${file}: only 8-bit RGBA, non-interlaced`);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= 4 ? px[y * stride + x - 4] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? px[(y - 1) * stride + x - 4] : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      px[y * stride + x] = (v + [0, a, b, (a + b) >> 1, pr][f]) & 0xff;
    }
  }
  return { width, height, px };
}

function encode({ width, height, px }) {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) px.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const chunk = (type, data) => {
    const t = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    t.copy(out, 4);
    out.writeUInt32BE(crc32(t), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

for (const [suffix, scale] of [['', 1], ['@2x', 2]]) {
  const base = decode(path.join(dir, `tray${suffix}.png`));
  for (const [state, [r, g, b]] of Object.entries(COLORS)) {
    const img = { ...base, px: Buffer.from(base.px) };
    const radius = 3 * scale;
    const cx = img.width - radius - 0.5;
    const cy = img.height - radius - 0.5;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const d = Math.hypot(x - cx, y - cy);
        const i = (y * img.width + x) * 4;
        if (d <= radius + scale) {
          // A transparent ring around the dot, then the dot.
          const inside = d <= radius;
          img.px[i] = inside ? r : 0;
          img.px[i + 1] = inside ? g : 0;
          img.px[i + 2] = inside ? b : 0;
          img.px[i + 3] = inside ? 255 : 0;
        }
      }
    }
    fs.writeFileSync(path.join(dir, `tray-${state}${suffix}.png`), encode(img));
  }
}
process.stdout.write(`wrote tray-{${Object.keys(COLORS).join(',')}}{,@2x}.png in ${dir}\n`);
