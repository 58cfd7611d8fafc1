// The shared contract between the renderer and the main process: DTOs, the ExplorerApi
// interface with its derived channels, runtime schemas, errors as data, and transports.
export * from './dto/index.js';
export * from './ipc/index.js';
export { CONTENT_SECURITY_POLICY } from './security/csp.js';
