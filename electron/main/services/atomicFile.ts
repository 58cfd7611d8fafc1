import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file operations used for atomic writes; injectable to simulate crashes in tests. */
export interface FileOps {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  readFile: typeof fsp.readFile;
  rm: typeof fsp.rm;
  readdir: typeof fsp.readdir;
  mkdir: typeof fsp.mkdir;
}

/** The real file system. */
export const nodeFileOps: FileOps = {
  open: fsp.open,
  rename: fsp.rename,
  readFile: fsp.readFile,
  rm: fsp.rm,
  readdir: fsp.readdir,
  mkdir: fsp.mkdir,
};

const TMP_SUFFIX = '.tmp';

/**
 * Replaces `path` atomically: write a sibling temp file, fsync it, rename it over the target,
 * then fsync the folder (best effort; not possible on Windows). A crash at any point leaves
 * either the old or the new file, plus at most a stale temp file ({@link removeStaleTemps}).
 */
export async function writeFileAtomic(ops: FileOps, path: string, text: string): Promise<void> {
  await ops.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}${TMP_SUFFIX}`;
  const handle = await ops.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await ops.rename(tmp, path);
  } catch (error) {
    await ops.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  try {
    const dir = await ops.open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}

/** Deletes temp files left by a write that crashed before its rename. Returns their names. */
export async function removeStaleTemps(ops: FileOps, path: string): Promise<string[]> {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await ops.readdir(dirname(path));
  } catch {
    return [];
  }
  const stale = names.filter((n) => n.startsWith(prefix) && n.endsWith(TMP_SUFFIX));
  await Promise.all(stale.map((n) => ops.rm(join(dirname(path), n), { force: true }).catch(() => undefined)));
  return stale;
}
