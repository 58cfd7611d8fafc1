/**
 * What the composer checks before a send, by message type: JSON parses, XML is well formed,
 * FIX / NVFIX are `tag=value` fields (typed one a line or separated by `|`, sent with SOH).
 * The binary types (msgpack, bson, bflat) are written as JSON and encoded by main.
 */
import { parseXml } from '../../../client/src/types/xml.js';
import { encodeUtf8 } from '../../../client/src/types/utf8.js';

/** How the composer treats a message type. */
export type ComposerKind = 'json' | 'xml' | 'fix' | 'nvfix' | 'text' | 'binary';

/** The composer kind of a message type (`json`, `xml`, `fix`, `nvfix`, `msgpack`, ...). */
export function composerKind(messageType: string | undefined): ComposerKind {
  const t = (messageType ?? 'json').trim().toLowerCase();
  if (t === 'json' || t === 'xml' || t === 'fix' || t === 'nvfix') return t;
  if (t === 'msgpack' || t === 'bson' || t === 'bflat') return 'binary';
  return 'text';
}

/** The message type named by a connection string's path (`tcp://h:9007/amps/json` → `json`). */
export function messageTypeOfUri(uri: string | undefined): string | undefined {
  const m = /\/amps\/([A-Za-z0-9_-]+)\s*(?:\?|$)/.exec(uri ?? '');
  return m?.[1]?.toLowerCase();
}

/** A payload ready to send, or why it is not. */
export type PayloadCheck = { ok: true; data: string } | { ok: false; message: string; offset?: number };

const SOH = '\u0001';

function checkJson(text: string): PayloadCheck {
  try {
    JSON.parse(text);
    return { ok: true, data: text };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    return {
      ok: false,
      message: `not JSON: ${message}`,
      ...(at?.[1] === undefined ? {} : { offset: Number(at[1]) }),
    };
  }
}

function checkFields(text: string, kind: 'fix' | 'nvfix'): PayloadCheck {
  const fields = text
    .split(/\r?\n|\||\u0001/)
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fields.length === 0)
    return { ok: false, message: `an empty ${kind.toUpperCase()} message: write tag=value fields` };
  for (const [i, field] of fields.entries()) {
    const eq = field.indexOf('=');
    const name = eq < 0 ? field : field.slice(0, eq);
    if (eq < 0) return { ok: false, message: `field ${i + 1} (${field}) has no "=": write tag=value` };
    if (kind === 'fix' && !/^\d+$/.test(name))
      return { ok: false, message: `field ${i + 1}: the FIX tag "${name}" is not a number` };
    if (name === '') return { ok: false, message: `field ${i + 1} has an empty name` };
  }
  return { ok: true, data: fields.join(SOH) + SOH };
}

/** Checks a payload of `kind` and returns the text to send (FIX fields joined with SOH). */
export function checkPayload(kind: ComposerKind, text: string): PayloadCheck {
  switch (kind) {
    case 'json':
      return checkJson(text);
    case 'xml':
      try {
        parseXml(encodeUtf8(text));
        return { ok: true, data: text };
      } catch (error) {
        return {
          ok: false,
          message: `not well-formed XML: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    case 'fix':
    case 'nvfix':
      return checkFields(text, kind);
    case 'text':
      return { ok: true, data: text };
    case 'binary': {
      // Written as JSON; main encodes it with client/'s codec of the message type.
      const checked = checkJson(text);
      return checked.ok
        ? checked
        : {
            ...checked,
            message: `${checked.message} (msgpack, bson and bflat messages are written as JSON)`,
          };
    }
  }
}

/** Pretty-printed JSON (2 spaces), or undefined when the text is not JSON. */
export function formatJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

/** The field paths of a JSON object (`/a`, `/a/b`), for completion; empty when not an object. */
export function fieldPaths(text: string, limit = 500): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (v: unknown, prefix: string): void => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (out.length >= limit) return;
      out.push(`${prefix}/${k}`);
      walk(child, `${prefix}/${k}`);
    }
  };
  walk(value, '');
  return out;
}
