/**
 * An append-only file of checksummed records, the storage under the file bookmark store and
 * the file publish store.
 *
 * Layout: an 8-byte magic naming the store kind, then records, each
 * `u32le bodyLength | u32le crc32(lengthBytes + body) | body`. A body is never empty.
 *
 * Durability (the fsync policy): with `sync: 'none'` (default) every record is handed to the
 * operating system with one `write` call before the store method returns, so it survives the
 * process being killed, but not a power loss or kernel crash. With `sync: 'every-write'` each
 * append is followed by `fdatasync`, which also survives those at a large cost per record.
 * Compaction ({@link RecordFile.rewrite}) always writes a temporary file, fsyncs it, renames it
 * over the store file and fsyncs the directory, so a crash leaves either the old or the new file.
 *
 * Opening reads every record. At the first record that is torn (shorter than its length
 * says) or fails its checksum, reading stops: the original file is copied aside to
 * `<file>.corrupt` (or `<file>.corrupt.N` when earlier copies exist: none is overwritten),
 * the bad tail is cut off and the problem is reported with how many records were set aside. When nothing valid
 * can be read from a non-empty file, {@link StoreCorruptError} is thrown and the file is left
 * untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { StoreCorruptError, type StoreRecoveryReport } from './storeErrors.js';

/** When appended records are forced to stable storage. */
export type StoreSyncPolicy = 'none' | 'every-write';

const RECORD_HEAD = 8;
/** Largest record body accepted when reading; anything larger is taken as corruption. */
const MAX_BODY = 1024 * 1024 * 1024;

/** One record read back from the file, with where its body lies. */
export interface StoredRecord {
  body: Buffer;
  /** Offset of the body in the file. */
  offset: number;
}

/** Result of opening a record file. */
export interface OpenedRecordFile {
  file: RecordFile;
  records: StoredRecord[];
  recovery: StoreRecoveryReport;
}

function encodeRecord(body: Uint8Array): Buffer {
  if (body.length === 0) throw new RangeError('a store record body must not be empty');
  const out = Buffer.allocUnsafe(RECORD_HEAD + body.length);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt32LE(crc32(body, crc32(out.subarray(0, 4))), 4);
  out.set(body, RECORD_HEAD);
  return out;
}

interface ScanResult {
  records: StoredRecord[];
  goodEnd: number;
  problem: string | null;
}

/** Called for each good record while opening; throwing marks the record as undecodable. */
export type RecordAcceptor = (body: Buffer, offset: number) => void;

function scan(data: Buffer, start: number, accept: RecordAcceptor | undefined): ScanResult {
  const records: StoredRecord[] = [];
  let pos = start;
  while (pos < data.length) {
    if (data.length - pos < RECORD_HEAD) {
      return { records, goodEnd: pos, problem: `torn record header (${data.length - pos} of 8 bytes)` };
    }
    const length = data.readUInt32LE(pos);
    const sum = data.readUInt32LE(pos + 4);
    if (length === 0 || length > MAX_BODY) {
      return { records, goodEnd: pos, problem: `impossible record length ${length}` };
    }
    if (pos + RECORD_HEAD + length > data.length) {
      return {
        records,
        goodEnd: pos,
        problem: `torn record: ${length} body bytes announced, ${data.length - pos - RECORD_HEAD} present`,
      };
    }
    const body = data.subarray(pos + RECORD_HEAD, pos + RECORD_HEAD + length);
    if (crc32(body, crc32(data.subarray(pos, pos + 4))) !== sum) {
      return { records, goodEnd: pos, problem: 'record checksum mismatch' };
    }
    if (accept) {
      try {
        accept(body, pos + RECORD_HEAD);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { records, goodEnd: pos, problem: `undecodable record: ${reason}` };
      }
    }
    records.push({ body, offset: pos + RECORD_HEAD });
    pos += RECORD_HEAD + length;
  }
  return { records, goodEnd: pos, problem: null };
}

/**
 * Counts the records in the tail that is cut off, the damaged one first, by walking their
 * length fields. Stops (count incomplete) at a length that cannot be right.
 */
function countTail(data: Buffer, start: number): { records: number; complete: boolean } {
  let records = 0;
  let pos = start;
  while (pos < data.length) {
    records++;
    if (data.length - pos < RECORD_HEAD) return { records, complete: true };
    const length = data.readUInt32LE(pos);
    if (length === 0 || length > MAX_BODY) return { records, complete: false };
    pos += RECORD_HEAD + length;
  }
  return { records, complete: true };
}

/**
 * Copies a damaged store file aside before its tail is cut off, never over an earlier copy:
 * `<file>.corrupt`, then `<file>.corrupt.1`, `<file>.corrupt.2`, ...
 * @returns the path of the copy
 */
function preserveCopy(file: string): string {
  for (let n = 0; ; n++) {
    const copy = n === 0 ? `${file}.corrupt` : `${file}.corrupt.${n}`;
    try {
      fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
      return copy;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function fsyncDirectory(file: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path.dirname(file), 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** An open record file; see the module comment for layout and durability. */
export class RecordFile {
  private fd: number;
  private end: number;
  private closed = false;

  private constructor(
    /** Path of the store file. */
    readonly path: string,
    private readonly magic: Buffer,
    private readonly sync: StoreSyncPolicy,
    fd: number,
    end: number,
  ) {
    this.fd = fd;
    this.end = end;
  }

  /**
   * Opens (creating it when missing) the record file at `file`.
   * @param magic exactly 8 ASCII characters naming the store kind and format version
   * @param accept applies each good record in order; a throw ends reading as at a corrupt record
   * @throws StoreCorruptError when the file is non-empty but holds nothing readable
   */
  static open(
    file: string,
    magic: string,
    sync: StoreSyncPolicy = 'none',
    accept?: RecordAcceptor,
  ): OpenedRecordFile {
    const magicBytes = Buffer.from(magic, 'latin1');
    if (magicBytes.length !== 8) throw new RangeError(`record file magic must be 8 bytes, got "${magic}"`);
    if (!fs.existsSync(file)) RecordFile.writeAtomically(file, magicBytes, []);
    const data = fs.readFileSync(file);
    if (data.length === 0) {
      RecordFile.writeAtomically(file, magicBytes, []);
      const fd = fs.openSync(file, 'r+');
      return {
        file: new RecordFile(file, magicBytes, sync, fd, magicBytes.length),
        records: [],
        recovery: { recoveredRecords: 0, droppedBytes: 0, problem: null },
      };
    }
    if (data.length < magicBytes.length || !data.subarray(0, magicBytes.length).equals(magicBytes)) {
      throw new StoreCorruptError(file, 0, `file does not start with the ${magic} store header`);
    }
    const { records, goodEnd, problem } = scan(data, magicBytes.length, accept);
    const recovery: StoreRecoveryReport = {
      recoveredRecords: records.length,
      droppedBytes: data.length - goodEnd,
      problem,
    };
    if (problem !== null) {
      if (records.length === 0) throw new StoreCorruptError(file, goodEnd, problem);
      const tail = countTail(data, goodEnd);
      recovery.problemOffset = goodEnd;
      recovery.setAsideRecords = tail.records;
      recovery.setAsideCountComplete = tail.complete;
      recovery.preservedCopy = preserveCopy(file);
      fs.truncateSync(file, goodEnd);
    }
    const fd = fs.openSync(file, 'r+');
    return { file: new RecordFile(file, magicBytes, sync, fd, goodEnd), records, recovery };
  }

  private static writeAtomically(file: string, magic: Buffer, bodies: readonly Uint8Array[]): number[] {
    const temp = `${file}.tmp`;
    const offsets: number[] = [];
    const parts: Buffer[] = [magic];
    let pos = magic.length;
    for (const body of bodies) {
      const record = encodeRecord(body);
      offsets.push(pos + RECORD_HEAD);
      pos += record.length;
      parts.push(record);
    }
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, Buffer.concat(parts));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    fsyncDirectory(file);
    return offsets;
  }

  /** Size of the file in bytes. */
  get size(): number {
    return this.end;
  }

  /**
   * Appends one record with a single write.
   * @returns the offset of the body in the file
   */
  append(body: Uint8Array): number {
    this.assertOpen();
    const record = encodeRecord(body);
    fs.writeSync(this.fd, record, 0, record.length, this.end);
    if (this.sync === 'every-write') fs.fdatasyncSync(this.fd);
    const offset = this.end + RECORD_HEAD;
    this.end += record.length;
    return offset;
  }

  /** Reads `length` body bytes at `offset` (as returned by `append` or `rewrite`). */
  read(offset: number, length: number): Buffer {
    this.assertOpen();
    const out = Buffer.allocUnsafe(length);
    const got = fs.readSync(this.fd, out, 0, length, offset);
    if (got !== length)
      throw new StoreCorruptError(this.path, offset, `short read: ${got} of ${length} bytes`);
    return out;
  }

  /**
   * Replaces the whole file with `bodies` (compaction) via temp file, fsync and rename.
   * @returns the body offset of each record in the new file
   */
  rewrite(bodies: readonly Uint8Array[]): number[] {
    this.assertOpen();
    fs.closeSync(this.fd);
    let offsets: number[];
    try {
      offsets = RecordFile.writeAtomically(this.path, this.magic, bodies);
    } finally {
      this.fd = fs.openSync(this.path, 'r+');
      this.end = fs.fstatSync(this.fd).size;
    }
    return offsets;
  }

  /** Forces everything appended so far to stable storage. */
  flushToDisk(): void {
    this.assertOpen();
    fs.fdatasyncSync(this.fd);
  }

  /** Closes the file; further calls throw. Closing twice is allowed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`store file ${this.path} is closed`);
  }
}

/** Kind byte + JSON metadata + optional binary blob: the body format both file stores use. */
export interface RecordBody {
  kind: string;
  meta: Record<string, unknown>;
  blob?: Uint8Array;
}

/** Encodes a record body: `u8 kind | u32le jsonLength | json | blob`. */
export function encodeBody(kind: string, meta: Record<string, unknown>, blob?: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const out = Buffer.allocUnsafe(5 + json.length + (blob?.length ?? 0));
  out.writeUInt8(kind.charCodeAt(0), 0);
  out.writeUInt32LE(json.length, 1);
  json.copy(out, 5);
  if (blob) out.set(blob, 5 + json.length);
  return out;
}

/**
 * Decodes a record body written by {@link encodeBody}.
 * @throws Error describing what is malformed
 */
export function decodeBody(body: Buffer): RecordBody {
  if (body.length < 5) throw new Error(`record body of ${body.length} bytes is too short`);
  const jsonLength = body.readUInt32LE(1);
  if (5 + jsonLength > body.length)
    throw new Error(`record metadata length ${jsonLength} exceeds the record`);
  const meta: unknown = JSON.parse(body.toString('utf8', 5, 5 + jsonLength));
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new Error('record metadata is not a JSON object');
  }
  return {
    kind: String.fromCharCode(body.readUInt8(0)),
    meta: meta as Record<string, unknown>,
    blob: body.subarray(5 + jsonLength),
  };
}
