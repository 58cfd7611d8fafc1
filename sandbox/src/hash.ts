/** Stable 64-bit FNV-1a hash rendered in decimal: SOW keys (spec §7.4) and publisher ids (spec §8.7). */

const encoder = new TextEncoder();

/** FNV-1a 64 of the UTF-8 bytes of `text`, as an unsigned decimal string. */
export function fnv1a64(text: string): string {
  // 64-bit arithmetic in four 16-bit limbs (h0 least significant); prime = 2^40 + 0x1b3.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const b of encoder.encode(text)) {
    h0 ^= b;
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    let t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += Math.floor(t0 / 65536);
    h0 = t0 & 0xffff;
    t2 += Math.floor(t1 / 65536);
    h1 = t1 & 0xffff;
    t3 += Math.floor(t2 / 65536);
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return ((BigInt(h3) << 48n) | (BigInt(h2) << 32n) | (BigInt(h1) << 16n) | BigInt(h0)).toString();
}
