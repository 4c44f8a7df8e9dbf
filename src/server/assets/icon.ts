// The site icon as PNG, drawn once at start-up (no binary in the repository): a bell-curve-ish bar
// chart in the scenario colours on a dark square. Used as favicon, apple-touch-icon and JSON Feed icon.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const hex = (h: string): [number, number, number] =>
  [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];

/** A `size`×`size` RGB PNG: three bars (the first three scenario colours) on #16191d. */
export function iconPng(size: number): Buffer {
  const bg = hex('#16191d');
  const bars: { x0: number; x1: number; h: number; c: [number, number, number] }[] = [
    { x0: 0.16, x1: 0.36, h: 0.35, c: hex('#0072B2') },
    { x0: 0.4, x1: 0.6, h: 0.7, c: hex('#D55E00') },
    { x0: 0.64, x1: 0.84, h: 0.5, c: hex('#009E73') },
  ];
  const row = 1 + size * 3;
  const raw = Buffer.alloc(row * size);
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0; // filter: none
    const fy = 1 - (y + 0.5) / size; // 0 at the bottom
    for (let x = 0; x < size; x++) {
      const fx = (x + 0.5) / size;
      const bar = bars.find((b) => fx >= b.x0 && fx < b.x1 && fy >= 0.14 && fy < 0.14 + b.h);
      const [r, g, b] = bar ? bar.c : bg;
      raw.set([r, g, b], y * row + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
