/**
 * Reads the PEM files a connection string names (`ca`, `cert`, `key`) safely: only regular
 * files, at most {@link MAX_TLS_FILE_BYTES}, asynchronously and within the caller's deadline.
 * A path naming a device (`/dev/zero`), a FIFO, a directory or a huge file is refused instead
 * of filling memory or blocking forever, and every refusal reads the same, so the error does
 * not tell whether a path the caller could not read exists.
 */
import { constants, type promises as fsp } from 'node:fs';
import { open } from 'node:fs/promises';
import { InvalidTransportOptionsError } from '../errors.js';

/** Largest `ca`, `cert` or `key` file read: 1 MiB (a CA bundle is a few hundred KiB at most). */
export const MAX_TLS_FILE_BYTES = 1024 * 1024;

/** The connection-string options that name a TLS file. */
export type TlsFileOption = 'ca' | 'cert' | 'key';

/** Bytes read per call; the file is read in pieces so the size bound holds while reading. */
const CHUNK = 64 * 1024;

/**
 * The one error of every refusal (missing, unreadable, not a regular file, too large, aborted).
 * It carries no cause: the system error would tell a missing file from an unreadable one.
 */
export function tlsFileError(option: TlsFileOption): InvalidTransportOptionsError {
  return new InvalidTransportOptionsError(
    `cannot use the ${option} file: not a readable regular file of at most 1 MiB`,
    { code: 'tls file', retriable: false },
  );
}

/**
 * Reads one TLS file named by a connection string.
 * @param option which option named it (for the message)
 * @param signal aborts the read (the connection's deadline)
 * @throws InvalidTransportOptionsError (code `tls file`) for anything but a readable regular
 *   file of at most {@link MAX_TLS_FILE_BYTES} bytes read before `signal` aborts
 */
export async function readTlsFile(option: TlsFileOption, file: string, signal?: AbortSignal): Promise<Buffer> {
  if (signal?.aborted) throw tlsFileError(option);
  let handle: fsp.FileHandle | undefined;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it would hold a pool thread forever).
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_TLS_FILE_BYTES) throw new Error('not a small regular file');
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      if (signal?.aborted) throw new Error('aborted');
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // The file may have grown since fstat: stop as soon as it is over the bound.
      if (total > MAX_TLS_FILE_BYTES) throw new Error('grew beyond the bound while reading');
      parts.push(buffer.subarray(0, bytesRead));
    }
    if (signal?.aborted) throw new Error('aborted');
    return Buffer.concat(parts, total);
  } catch {
    throw tlsFileError(option);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
