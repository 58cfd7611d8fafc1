/** How a payload is shown in the detail pane. */
export type PayloadView =
  | { kind: 'json'; text: string }
  | { kind: 'fix'; fields: { tag: string; value: string }[] }
  | { kind: 'text'; text: string }
  | { kind: 'hex'; text: string; bytes: number };

/** The FIX / NVFIX field separator (SOH). */
const SOH = '\u0001';
/** Longest hex dump rendered (bytes); the rest is summarized. */
export const HEX_LIMIT = 4096;

// Control characters other than tab, LF and CR, and the UTF-8 replacement character (the main
// process substitutes it for invalid bytes): their presence marks a binary payload.
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/**
 * Decodes one payload for display: pretty-printed JSON, FIX/NVFIX fields, plain text, or a hex
 * dump for anything binary. Called only for the selected message, never for the whole list.
 */
export function describePayload(data: string): PayloadView {
  const trimmed = data.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(data), null, 2) };
    } catch {
      // Not JSON after all (or truncated): fall through to text / hex.
    }
  }
  if (data.includes(SOH) && /^[^=\u0001]+=/.test(data)) {
    const fields = data
      .split(SOH)
      .filter((part) => part !== '')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? { tag: part, value: '' } : { tag: part.slice(0, eq), value: part.slice(eq + 1) };
      });
    return { kind: 'fix', fields };
  }
  if (!BINARY.test(data)) return { kind: 'text', text: data };
  const bytes = new TextEncoder().encode(data);
  return { kind: 'hex', text: hexDump(bytes, HEX_LIMIT), bytes: bytes.length };
}

/** A classic 16-bytes-per-line hex dump with an ASCII column, of at most `limit` bytes. */
export function hexDump(bytes: Uint8Array, limit = HEX_LIMIT): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, limit);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`);
  return lines.join('\n');
}

/** A one-line preview of a payload for a list row (control characters made visible). */
export function previewPayload(data: string, max = 200): string {
  const flat = data.slice(0, max).replace(/[\u0000-\u001f]/g, (c) => (c === SOH ? '|' : ' '));
  return data.length > max ? `${flat}…` : flat;
}
