/**
 * "Copy as JSON" of a payload as the detail pane decoded it: JSON as it is (pretty), FIX /
 * NVFIX as an object of tag → value (a repeated tag becomes an array), text as a JSON string,
 * and binary as its hex dump in a JSON string. Pure.
 */
import type { PayloadView } from '../lib/payload.js';

export function payloadAsJson(view: PayloadView): string {
  switch (view.kind) {
    case 'json':
      return view.text;
    case 'fix': {
      const out: Record<string, string | string[]> = {};
      for (const { tag, value } of view.fields) {
        const seen = out[tag];
        if (seen === undefined) out[tag] = value;
        else out[tag] = Array.isArray(seen) ? [...seen, value] : [seen, value];
      }
      return JSON.stringify(out, null, 2);
    }
    case 'text':
    case 'hex':
      return JSON.stringify(view.text);
  }
}
