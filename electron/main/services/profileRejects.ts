import type { FileOps } from './atomicFile.js';
import { writeFileAtomic } from './atomicFile.js';
import type { RejectedEntry } from './profileFile.js';

/** The sidecar file (beside profiles.json) where unreadable profile entries are kept. */
export const REJECTED_FILE = 'profiles.rejected.json';

/** One entry in the sidecar. */
interface KeptEntry {
  setAsideAt: string;
  reason: string;
  entry: unknown;
}

/** Largest sidecar read back (older content beyond it is kept in a renamed copy). */
const MAX_SIDECAR = 16 * 1024 * 1024;

/**
 * Adds rejected entries to the sidecar, each once (an entry already kept, byte for byte, is not
 * added again). The existing sidecar is never dropped: if it cannot be read as ours it is kept
 * under a new name first. Throws when nothing could be written (the caller then keeps the
 * profiles file read-only, so the entries stay in it).
 */
export async function appendRejected(
  fs: FileOps,
  path: string,
  rejected: RejectedEntry[],
  now: Date,
): Promise<void> {
  let kept: KeptEntry[] = [];
  let existing: string | undefined;
  try {
    existing = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing !== undefined) {
    const parsed = existing.length <= MAX_SIDECAR ? tryParse(existing) : undefined;
    if (parsed === undefined) {
      await fs.rename(path, `${path}.${now.toISOString().replace(/[:.]/g, '-')}.old`);
    } else {
      kept = parsed;
    }
  }
  const known = new Set(kept.map((k) => JSON.stringify(k.entry)));
  let added = 0;
  for (const r of rejected) {
    const key = JSON.stringify(r.entry);
    if (known.has(key)) continue;
    known.add(key);
    kept.push({ setAsideAt: now.toISOString(), reason: r.reason, entry: r.entry });
    added += 1;
  }
  if (added === 0 && existing !== undefined) return;
  await writeFileAtomic(fs, path, `${JSON.stringify({ rejected: kept }, null, 2)}\n`);
}

function tryParse(text: string): KeptEntry[] | undefined {
  try {
    const raw: unknown = JSON.parse(text);
    if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { rejected?: unknown }).rejected)) {
      return undefined;
    }
    return (raw as { rejected: KeptEntry[] }).rejected;
  } catch {
    return undefined;
  }
}
