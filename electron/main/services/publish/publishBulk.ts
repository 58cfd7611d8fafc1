/** Runs a bulk job: streams the file's records and sends each as a message, in order. */
import { createReadStream } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PublishFileFormat } from '../../../../common/src/dto/publish.js';
import { bulkRecords } from './bulkRecords.js';
import type { PublishJob } from './publishJob.js';

/** Records sent between two yields to the event loop. */
const YIELD_EVERY = 512;

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
    let n = 0;
    for await (const record of bulkRecords(run.format, stream as AsyncIterable<string>)) {
      if (job.over) break;
      if ('error' in record) job.reject(record.line, record.error);
      else await job.send(record.line, run.topic, record.data);
      n += 1;
      if (n % YIELD_EVERY === 0) await yieldToLoop();
    }
  } finally {
    stream.destroy();
  }
}
