/** The request handlers of the publish jobs (repeat, upload, bulk, stop). */
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
      const path = await s.uploads.path(request.uploadId, clientId);
      const { uploadId, ...rest } = request;
      return s.jobs.bulkFile({ ...rest, path }, clientId, () => s.uploads.discard(uploadId, clientId));
    },
    publishStop: ({ jobId }, { clientId }) => s.jobs.stop(jobId, clientId),
    listPublishJobs: (_none, { clientId }) => s.jobs.list(clientId),
    attachPublishJob: ({ jobId }, { clientId }) => s.jobs.attach(jobId, clientId),
    loadPublishLibrary: ({ profileKey }) => s.library.load(profileKey),
    savePublishLibrary: (request) => s.library.save(request),
  };
}
