/**
 * A strict model of what the official C-family client header parser accepts in server
 * messages (spec §1.4, §3.1 "Parsed by official client"), and of how the official clients
 * read a `sow` batch (§7.2). Used to prove every frame the sandbox writes would be read.
 */

/** Keys the official C-family client parses in server → client messages (spec §3.1). */
export const OFFICIAL_KEYS: ReadonlySet<string> = new Set([
  'c',
  'cmd',
  'cid',
  'cmd_id',
  't',
  'topic',
  'a',
  'ack',
  'ack_type',
  'client_name',
  'user_id',
  'pw',
  'auth_key',
  'version',
  'mt',
  'filter',
  'o',
  'opts',
  'sub_id',
  'sids',
  'sub_ids',
  'query_id',
  'bs',
  'batch_size',
  'top_n',
  'k',
  'sow_keys',
  'bm',
  'bookmark',
  's',
  'seq',
  'e',
  'expiration',
  'x',
  'ts',
  'lp',
  'l',
  'status',
  'reason',
  'matches',
  'topic_matches',
  'records_returned',
  'records_deleted',
  'records_inserted',
  'records_updated',
  'gseq',
  'group_seq_num',
  'heartbeat',
]);

/** Keys a sow record sub-header carries (spec §7.2). */
export const RECORD_KEYS: ReadonlySet<string> = new Set(['k', 'l', 'x', 'ts', 'bm']);

/** Fields servers must write as unquoted JSON numbers (spec §1.4, §15.2). */
export const NUMERIC_KEYS: ReadonlySet<string> = new Set([
  's',
  'bs',
  'l',
  'matches',
  'topic_matches',
  'records_returned',
  'records_deleted',
  'records_inserted',
  'records_updated',
]);

/** One `"key":value` pair as it appeared on the wire. */
export interface WireEntry {
  key: string;
  /** The value's text (string values unescaped). */
  value: string;
  quoted: boolean;
}

/** A header read by {@link readStrictHeader}. */
export interface StrictHeader {
  entries: WireEntry[];
  /** Offset just after the closing `}`. */
  end: number;
  get(key: string): WireEntry | undefined;
}

/**
 * Reads a header the way the official parser does: compact, flat, no whitespace outside
 * strings, values string / number / true / false / null, never `{}`.
 * @throws Error naming the offset and what is wrong
 */
export function readStrictHeader(buf: Buffer, start = 0): StrictHeader {
  const text = buf.toString('latin1');
  let i = start;
  const bad = (what: string): never => {
    throw new Error(`${what} at offset ${i} in ${JSON.stringify(text.slice(start, start + 200))}`);
  };
  const entries: WireEntry[] = [];
  if (text[i] !== '{') bad('header does not start with "{"');
  i++;
  for (;;) {
    if (text[i] !== '"') bad('expected a quoted key');
    const keyEnd = text.indexOf('"', i + 1);
    if (keyEnd < 0) bad('unterminated key');
    const key = text.slice(i + 1, keyEnd);
    i = keyEnd + 1;
    if (text[i] !== ':') bad(`expected ":" after key "${key}"`);
    i++;
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      while (text[i] !== '"') {
        if (i >= text.length) bad('unterminated string');
        if (text[i] === '\\') {
          const e = text[i + 1];
          if (e === 'u') bad('\\u escape (dropped by the official parser)');
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      i++;
    } else {
      const m = /^(?:-?[0-9][0-9.+\-eE]*|-[0-9.+\-eE]+|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) bad(`bad value for key "${key}"`);
      value = (m as RegExpExecArray)[0];
      i += value.length;
    }
    entries.push({ key, value, quoted });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '}') {
      i++;
      break;
    }
    bad('expected "," or "}"');
  }
  return { entries, end: i, get: (k) => entries.find((e) => e.key === k) };
}

/**
 * Checks one server → client message (header + payload, no length prefix) against the rules
 * official clients depend on. Returns the list of violations (empty when the frame is fine).
 */
export function officialViolations(frame: Buffer): string[] {
  const out: string[] = [];
  let h: StrictHeader;
  try {
    h = readStrictHeader(frame);
  } catch (e) {
    return [(e as Error).message];
  }
  const first = h.entries[0];
  if (first?.key !== 'c') out.push(`first key is "${first?.key ?? ''}", not "c"`);
  const keys = h.entries.map((e) => e.key);
  for (const k of keys) if (!OFFICIAL_KEYS.has(k)) out.push(`key "${k}" is not parsed by official clients`);
  for (const e of h.entries) {
    if (NUMERIC_KEYS.has(e.key) && (e.quoted || !/^\d+$/.test(e.value)))
      out.push(`"${e.key}" must be an unquoted integer, got ${e.quoted ? 'a string' : e.value}`);
  }
  if (keys.at(-1) === 's') out.push('"s" is the last key (the JS client needs a comma after it)');
  const c = h.get('c')?.value;
  const payload = frame.subarray(h.end);
  if (c === 'p' || c === 'publish' || c === 'oof') {
    if (c === 'publish') out.push('deliveries are written as "c":"p"');
    if (!h.get('sids')) out.push(`${c} without sids`);
    const l = h.get('l');
    if (!l) out.push(`${c} without l`);
    else if (Number(l.value) !== payload.length)
      out.push(`l=${l.value} but payload has ${payload.length} bytes`);
  } else if (c === 'sow') {
    const bs = Number(h.get('bs')?.value ?? NaN);
    if (!h.get('query_id')) out.push('sow batch without query_id');
    let at = h.end;
    let n = 0;
    while (at < frame.length) {
      let r: StrictHeader;
      try {
        r = readStrictHeader(frame, at);
      } catch (e) {
        out.push(`record ${n + 1}: ${(e as Error).message}`);
        break;
      }
      for (const e of r.entries) if (!RECORD_KEYS.has(e.key)) out.push(`record key "${e.key}"`);
      const l = r.get('l');
      if (!l || l.quoted) {
        out.push(`record ${n + 1} without an unquoted l`);
        break;
      }
      at = r.end + Number(l.value);
      n++;
    }
    if (at !== frame.length) out.push(`records end at ${at}, frame at ${frame.length}`);
    if (n !== bs) out.push(`bs=${String(bs)} but ${n} records`);
  } else if (c === 'ack') {
    const a = h.get('a')?.value ?? '';
    if (a === '' || a.includes(',')) out.push(`ack must carry exactly one ack type, got "${a}"`);
    if (!h.get('status')) out.push('ack without status');
    if (payload.length > 0) out.push('ack with a payload');
  } else if (c === 'group_begin' || c === 'group_end') {
    if (!h.get('query_id')) out.push(`${c} without query_id`);
    if (payload.length > 0) out.push(`${c} with a payload`);
  } else if (c !== 'heartbeat') {
    out.push(`unexpected server command "${c ?? ''}"`);
  }
  return out;
}
