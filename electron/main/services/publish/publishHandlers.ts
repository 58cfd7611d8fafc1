/** The request handlers of the publish jobs (repeat, upload, bulk, stop, list and attach after a reload). */
import { rm } from 'node:fs/promises';
import type { RequestHandlers } from '../../ipc/registerHandlers.js';
import type { PublishJobs } from './publishJobs.js';
import type { PublishLibraryStore } from './publishLibraryStore.js';
import type { PublishUploads } from './publishUploads.js';

/** Main's publish jobs and the uploads they read. */
export interface PublishJobServices {
  jobs: PublishJobs;
  uploads: PublishUploads;
  library: PublishLibraryStore;
}

/** Maps the publish-job requests onto the services. */
export function publishJobHandlers(
  s: PublishJobServices,
): Pick<
  RequestHandlers,
  | 'publishRepeat'
  | 'publishUpload'
  | 'publishBulk'
  | 'publishStop'
  | 'listPublishJobs'
  | 'attachPublishJob'
  | 'loadPublishLibrary'
  | 'savePublishLibrary'
> {
  return {
    publishRepeat: (request, { clientId }) => s.jobs.repeat(request, clientId),
    publishUpload: (chunk, { clientId }) => s.uploads.append(chunk, clientId),
    publishBulk: async (request, { clientId }) => {
      // The job owns the file from here: it outlives a page reload with the job, and is deleted at its end.
      const path = await s.uploads.take(request.uploadId, clientId);
      const { uploadId: _uploadId, ...rest } = request;
      try {
        return s.jobs.bulkFile({ ...rest, path }, clientId, () => rm(path, { force: true }));
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
    },
    publishStop: ({ jobId }, { clientId }) => s.jobs.stop(jobId, clientId),
    listPublishJobs: (_none, { clientId }) => s.jobs.list(clientId),
    attachPublishJob: ({ jobId }, { clientId }) => s.jobs.attach(jobId, clientId),
    loadPublishLibrary: ({ profileKey }) => s.library.load(profileKey),
    savePublishLibrary: (request) => s.library.save(request),
  };
}
