/**
 * Files the user picked for a bulk publish, received from the renderer in bounded chunks and
 * written to private temp files, so main can stream them and the renderer never holds one
 * whole. An upload belongs to its caller, is bounded in size, and is deleted once published,
 * when its caller goes away, or at shutdown.
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishUploadChunk, PublishUploadRef } from '../../../../common/src/dto/publish.js';
import { MAX_UPLOAD_BYTES } from '../../../../common/src/dto/publish.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';

/** Uploads one caller may hold at once. */
export const MAX_UPLOADS_PER_OWNER = 4;

interface Upload {
  ownerId: string;
  path: string;
  bytes: number;
  /** Chunks are appended one after another. */
  tail: Promise<void>;
}

const unknownUpload = (uploadId: string): ExplorerError =>
  new ExplorerError({
    name: 'UnknownUploadError',
    message: `no upload ${uploadId} of yours`,
    code: 'unknown-upload',
  });

/** The uploads of every caller. */
export class PublishUploads {
  readonly #uploads = new Map<string, Upload>();
  #dir: Promise<string> | undefined;
  #next = 1;
  readonly #maxBytes: number;

  constructor(options: { maxBytes?: number } = {}) {
    this.#maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  }

  #directory(): Promise<string> {
    this.#dir ??= mkdtemp(join(tmpdir(), 'amps-explorer-upload-'));
    return this.#dir;
  }

  /** Appends a chunk (starting a new upload when it names none). */
  async append(chunk: PublishUploadChunk, ownerId: string): Promise<PublishUploadRef> {
    let uploadId = chunk.uploadId;
    let upload: Upload | undefined;
    if (uploadId === undefined) {
      const mine = [...this.#uploads.values()].filter((u) => u.ownerId === ownerId).length;
      if (mine >= MAX_UPLOADS_PER_OWNER) {
        throw new ExplorerError({
          name: 'TooManyUploadsError',
          message: `${mine} uploads are open already (at most ${MAX_UPLOADS_PER_OWNER}); publish or discard one first`,
          code: 'too-many-uploads',
        });
      }
      uploadId = `upload-${this.#next++}`;
      upload = {
        ownerId,
        path: join(await this.#directory(), `${uploadId}.txt`),
        bytes: 0,
        tail: Promise.resolve(),
      };
      this.#uploads.set(uploadId, upload);
    } else {
      upload = this.#uploads.get(uploadId);
      if (upload === undefined || upload.ownerId !== ownerId) throw unknownUpload(uploadId);
    }
    const size = Buffer.byteLength(chunk.data, 'utf8');
    if (upload.bytes + size > this.#maxBytes) {
      await this.discard(uploadId, ownerId);
      throw new ExplorerError({
        name: 'UploadTooLargeError',
        message: `the file is larger than ${this.#maxBytes} bytes; the upload was discarded`,
        code: 'upload-too-large',
      });
    }
    upload.bytes += size;
    const target = upload.path;
    upload.tail = upload.tail.then(() => appendFile(target, chunk.data, { encoding: 'utf8', mode: 0o600 }));
    await upload.tail;
    return { uploadId, bytes: upload.bytes };
  }

  /** The file of a finished upload of the caller. */
  async path(uploadId: string, ownerId: string): Promise<string> {
    const upload = this.#uploads.get(uploadId);
    if (upload === undefined || upload.ownerId !== ownerId) throw unknownUpload(uploadId);
    await upload.tail;
    return upload.path;
  }

  /**
   * Hands a finished upload's file over to its reader (a bulk job): it is no longer one of the
   * caller's uploads, so a page reload that discards those leaves it be; the reader deletes it.
   */
  async take(uploadId: string, ownerId: string): Promise<string> {
    const path = await this.path(uploadId, ownerId);
    this.#uploads.delete(uploadId);
    return path;
  }

  /** Deletes an upload. */
  async discard(uploadId: string, ownerId: string): Promise<void> {
    const upload = this.#uploads.get(uploadId);
    if (upload === undefined || upload.ownerId !== ownerId) return;
    this.#uploads.delete(uploadId);
    await upload.tail.catch(() => undefined);
    await rm(upload.path, { force: true });
  }

  /** Deletes every upload of a caller that went away. */
  async releaseOwner(ownerId: string): Promise<void> {
    const mine = [...this.#uploads.entries()].filter(([, u]) => u.ownerId === ownerId);
    await Promise.all(mine.map(([id]) => this.discard(id, ownerId)));
  }

  /** Deletes everything. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#uploads.entries()].map(([id, u]) => this.discard(id, u.ownerId)));
    if (this.#dir !== undefined) await rm(await this.#dir, { recursive: true, force: true });
  }
}
