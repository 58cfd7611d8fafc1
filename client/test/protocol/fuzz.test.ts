/**
 * Fuzz: 1,000,000 mutated and truncated golden frames through FrameReader + decodeHeader +
 * splitSowBatch. Only ProtocolError may escape; every input is finite, so nothing can hang;
 * the reader never holds more than the input it was given.
 */
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/protocol/frame.js';
import { decodeHeader } from '../../src/protocol/header.js';
import { ProtocolError } from '../../src/protocol/protocolError.js';
import { splitSowBatch } from '../../src/protocol/sowBatch.js';
import { GOLDEN_FRAMES, TRANSCRIPT } from './golden.js';

/** mulberry32: a small seeded generator, so every run feeds the same inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const prefixed = (s: string): Buffer => {
  const b = Buffer.from(s);
  const p = Buffer.alloc(4);
  p.writeUInt32BE(b.length);
  return Buffer.concat([p, b]);
};

const SEEDS: Buffer[] = [...GOLDEN_FRAMES, ...TRANSCRIPT.map(([, line]) => prefixed(line))];
const INTERESTING = [0x7b, 0x7d, 0x22, 0x5c, 0x3a, 0x2c, 0x00, 0xff, 0x30, 0x6c, 0x20, 0x75];

function mutate(next: () => number): Buffer {
  const pick = (n: number): number => Math.floor(next() * n);
  let buf = Buffer.from(SEEDS[pick(SEEDS.length)] as Buffer);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const op = pick(8);
    const at = pick(buf.length + 1);
    switch (op) {
      case 0: // bit flip
        if (buf.length > 0) buf[at % buf.length] = (buf[at % buf.length] as number) ^ (1 << pick(8));
        break;
      case 1: // interesting byte
        if (buf.length > 0) buf[at % buf.length] = INTERESTING[pick(INTERESTING.length)] as number;
        break;
      case 2: // truncate
        buf = buf.subarray(0, at);
        break;
      case 3: {
        // insert random bytes
        const ins = Buffer.alloc(1 + pick(6));
        for (let i = 0; i < ins.length; i++) ins[i] = pick(256);
        buf = Buffer.concat([buf.subarray(0, at), ins, buf.subarray(at)]);
        break;
      }
      case 4: // huge or wrong length prefix
        if (buf.length >= 4)
          buf.writeUInt32BE(pick(3) === 0 ? 0xffffffff - pick(1000) : pick(buf.length + 64), 0);
        break;
      case 5: // delete a span
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + 1 + pick(8))]);
        break;
      case 6: // splice another seed in
        buf = Buffer.concat([buf.subarray(0, at), SEEDS[pick(SEEDS.length)] as Buffer]);
        break;
      default: {
        // make the length prefix match the (mutated) body so the header parser sees it
        if (buf.length >= 4) buf.writeUInt32BE(buf.length - 4, 0);
      }
    }
  }
  return buf;
}

function consume(frame: Buffer): void {
  const { fields, end } = decodeHeader(frame, 0, frame.length);
  if (fields.command === 'sow') splitSowBatch(frame, end);
}

describe('fuzz: framing and header decoding', () => {
  it('survives 1,000,000 mutated frames with nothing but ProtocolError', () => {
    const next = rng(0x5eed);
    const N = 1_000_000;
    let protocolErrors = 0;
    let frames = 0;
    let maxBuffered = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < N; i++) {
      const input = mutate(next);
      const reader = new FrameReader((f) => {
        frames++;
        try {
          consume(f);
        } catch (e) {
          if (!(e instanceof ProtocolError))
            throw new Error(`input ${i} (${input.toString('hex')}): ${String(e)}`);
          protocolErrors++;
        }
      }, 1 << 20);
      const cut = Math.floor(next() * (input.length + 1));
      try {
        reader.push(input.subarray(0, cut));
        reader.push(input.subarray(cut));
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        protocolErrors++;
      }
      if (reader.bufferedBytes > input.length)
        throw new Error(`reader holds ${reader.bufferedBytes} bytes for a ${input.length}-byte input`);
      maxBuffered = Math.max(maxBuffered, reader.bufferedBytes);
    }
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(frames).toBeGreaterThan(N / 2);
    expect(protocolErrors).toBeGreaterThan(N / 10);
    expect(maxBuffered).toBeLessThan(4096);
    expect(heapGrowth).toBeLessThan(256 * 1024 * 1024);
  }, 120_000);
});
