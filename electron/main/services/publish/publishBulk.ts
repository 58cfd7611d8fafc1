/** Runs a bulk job: streams the file's records and sends each as a message, in order. */
import { createReadStream } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PublishFileFormat } from '../../../../common/src/dto/publish.js';
import { bulkRecords } from './bulkRecords.js';
import type { PublishJob } from './publishJob.js';

/** What a bulk run reads and where it sends. */
export interface BulkRun {
  path: string;
  topic: string;
  format: PublishFileFormat;
}

/** Publishes every record of the file; bad records are counted with their line. */
export async function runBulk(job: PublishJob, run: BulkRun): Promise<void> {
  const stream = createReadStream(run.path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  try {
    outer: for await (const batch of bulkRecords(run.format, stream as AsyncIterable<string>)) {
      for (const record of batch) {
        if (job.over) break outer;
        if ('error' in record) job.reject(record.line, record.error);
        else {
          const wait = job.send(record.line, run.topic, record.data);
          if (wait !== undefined) await wait;
        }
      }
      // One chunk (256 KiB) at a time: the socket drains and other work runs in between.
      await yieldToLoop();
    }
  } finally {
    stream.destroy();
  }
}
