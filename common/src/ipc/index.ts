export * from './contract.js';
export * from './createApi.js';
export * from './errors.js';
export * from './schemas.js';
export * as schema from './schemaLib.js';
export type * from './transport.js';
export * from './wire.js';
