// Renders build/icons/icon.png (512x512 RGBA) from the same shapes as icon.svg, with signed
// distance functions for anti-aliasing; PNG written by hand with zlib. Run:
//   npx tsx build/icons/make-png.ts
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
type Rgba = [number, number, number, number];

const hex = (h: string, alpha = 1): Rgba => [
  Number.parseInt(h.slice(1, 3), 16),
  Number.parseInt(h.slice(3, 5), 16),
  Number.parseInt(h.slice(5, 7), 16),
  alpha,
];
const mix = (a: Rgba, b: Rgba, t: number): Rgba =>
  [0, 1, 2, 3].map((i) => a[i]! + (b[i]! - a[i]!) * t) as Rgba;
const coverage = (sd: number): number => Math.min(1, Math.max(0, 0.5 - sd));

const roundedRect = (
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): number => {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};

/** An arc of radius `radius` around (256, 300), ±50° from straight up, with round caps. */
const arc = (x: number, y: number, radius: number, width: number): number => {
  const dx = x - 256;
  const dy = y - 300;
  const angle = Math.atan2(dx, -dy);
  const limit = (50 * Math.PI) / 180;
  if (Math.abs(angle) <= limit) return Math.abs(Math.hypot(dx, dy) - radius) - width / 2;
  const ex = 256 + Math.sign(angle) * radius * Math.sin(limit);
  const ey = 300 - radius * Math.cos(limit);
  return Math.hypot(x - ex, y - ey) - width / 2;
};

const green = hex('#37d6a0');
const over = (dst: Rgba, src: Rgba, cov: number): Rgba => {
  const a = src[3] * cov;
  const outA = a + dst[3] * (1 - a);
  if (outA === 0) return [0, 0, 0, 0];
  return [0, 1, 2].map((i) => (src[i]! * a + dst[i]! * dst[3] * (1 - a)) / outA).concat(outA) as Rgba;
};

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0;
  for (let px = 0; px < SIZE; px++) {
    const x = px + 0.5;
    const y = py + 0.5;
    let c: Rgba = [0, 0, 0, 0];
    c = over(
      c,
      mix(hex('#0f2a44'), hex('#1b4f72'), (y - 32) / 448),
      coverage(roundedRect(x, y, 32, 32, 480, 480, 96)),
    );
    c = over(c, green, coverage(arc(x, y, 100, 28)));
    c = over(c, [...green.slice(0, 3), 0.75] as Rgba, coverage(arc(x, y, 164, 28)));
    c = over(c, [...green.slice(0, 3), 0.5] as Rgba, coverage(arc(x, y, 228, 28)));
    c = over(c, green, coverage(Math.hypot(x - 256, y - 300) - 36));
    c = over(c, [...green.slice(0, 3), 0.6] as Rgba, coverage(roundedRect(x, y, 196, 384, 316, 404, 10)));
    const at = py * (SIZE * 4 + 1) + 1 + px * 4;
    raw[at] = Math.round(c[0]);
    raw[at + 1] = Math.round(c[1]);
    raw[at + 2] = Math.round(c[2]);
    raw[at + 3] = Math.round(c[3] * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer): number => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
