export * from './contract.js';
export * from './createApi.js';
export * from './errors.js';
export * from './schemas.js';
export * from './profileSchemas.js';
export * from './workspaceSchemas.js';
export * as schema from './schemaLib.js';
export type * from './transport.js';
export * from './wire.js';
