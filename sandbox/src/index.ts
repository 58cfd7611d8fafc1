/** Public API of the sandbox (the local AMPS-compatible server). */
export { createSandboxServer } from './server.js';
export type { SandboxServer, SandboxPorts } from './server.js';
export type { SandboxConfig, TopicConfig, QueueConfig } from './config.js';
export { ConfigError, parseConfigJson, parseUsers, validateTopics, DEFAULTS } from './config.js';
export type { SandboxLogger } from './logger.js';
export { consoleLogger, silentLogger } from './logger.js';
export { DEMO_TOPICS, startDemo } from './demo.js';
export type { DemoFeeder } from './demo.js';
export type { Broker } from './broker.js';
