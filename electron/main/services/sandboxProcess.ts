import { spawn as nodeSpawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MESSAGE_TYPES } from '../../../common/src/dto/profiles.js';
import type { MessageType } from '../../../common/src/dto/profiles.js';
import type { SandboxInfo } from '../../../common/src/dto/sandbox.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import type { Logger } from '../platform/logger.js';
import type { BuiltInProfile } from './profiles.js';

/** How to start the sandbox server. */
export interface SandboxCommand {
  file: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Flags asking the sandbox for demo data on free loopback ports. */
export const SANDBOX_DEMO_ARGS = ['--demo', '--port', '0', '--ws-port', '0', '--admin-port', '0'];

/**
 * Development: `sandbox/src/main.ts` through tsx, run by this very executable in Node mode
 * (`ELECTRON_RUN_AS_NODE` makes the Electron binary behave as Node; plain Node ignores it).
 */
export function devSandboxCommand(repoRoot: string, args: string[] = SANDBOX_DEMO_ARGS): SandboxCommand {
  return {
    file: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, 'sandbox', 'src', 'main.ts'), ...args],
    cwd: repoRoot,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  };
}

/** Packaged app: the bundled sandbox in `resources/sandbox/main.js` (see build/electron-builder.yml). */
export function packagedSandboxCommand(
  resourcesPath: string,
  args: string[] = SANDBOX_DEMO_ARGS,
): SandboxCommand {
  return {
    file: process.execPath,
    args: [join(resourcesPath, 'sandbox', 'main.js'), ...args],
    cwd: resourcesPath,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  };
}

/** The id of the built-in profile for the running sandbox. */
export const SANDBOX_PROFILE_ID = 'local-sandbox';

/** Options of {@link SandboxProcess}. */
export interface SandboxProcessOptions {
  command: SandboxCommand;
  logger: Logger;
  /** Give up (and kill the child) if no connection string appears in time. Default 20 s. */
  startTimeoutMs?: number;
  /** After the first tcp:// URI, wait this long for a ws:// one. Default 500 ms. */
  settleMs?: number;
  /** Grace period between SIGTERM and SIGKILL at stop. Default 3 s. */
  stopGraceMs?: number;
  spawn?: (file: string, args: string[], options: SpawnOptions) => ChildProcess;
}

const URI_PATTERN = /\b(?:tcp|tcps|ws|wss):\/\/[^\s'"<>,;]+/g;

/** Connection strings found in one line of the sandbox's output. */
export function connectionStringsIn(line: string): string[] {
  return [...line.matchAll(URI_PATTERN)].map((m) => m[0].replace(/[.)\]]+$/, ''));
}

const sandboxError = (message: string, code: string): ExplorerError =>
  new ExplorerError({ name: 'SandboxError', message, code, retriable: true });

/**
 * The local sandbox server as a child process: started with demo data, its connection strings
 * read from its output (lines containing `tcp://` and `ws://` URIs), stopped at shutdown.
 */
export class SandboxProcess {
  readonly #options: SandboxProcessOptions;
  #child: ChildProcess | undefined;
  #info: SandboxInfo = { state: 'stopped', connectionStrings: [] };
  #stopping = false;
  #starting: Promise<SandboxInfo> | undefined;
  readonly #listeners = new Set<(info: SandboxInfo) => void>();
  readonly #stderrTail: string[] = [];

  constructor(options: SandboxProcessOptions) {
    this.#options = options;
  }

  info(): SandboxInfo {
    return structuredClone(this.#info);
  }

  onChange(listener: (info: SandboxInfo) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** "Local sandbox" while running: its TCP connection string, no password. */
  builtInProfile(): BuiltInProfile | undefined {
    if (this.#info.state !== 'running') return undefined;
    const uri =
      this.#info.connectionStrings.find((s) => s.startsWith('tcp://')) ?? this.#info.connectionStrings[0];
    if (uri === undefined) return undefined;
    const last = uri.slice(uri.lastIndexOf('/') + 1);
    const messageType: MessageType = (MESSAGE_TYPES as readonly string[]).includes(last)
      ? (last as MessageType)
      : 'json';
    return {
      profile: {
        id: SANDBOX_PROFILE_ID,
        name: 'Local sandbox',
        connectionString: uri,
        messageType,
        options: {},
        hasPassword: false,
        builtIn: true,
      },
    };
  }

  /** Starts the child; resolves with `running` info, or `failed` info (never rejects). */
  start(): Promise<SandboxInfo> {
    if (this.#child !== undefined && this.#starting !== undefined) return this.#starting;
    this.#starting = this.#start();
    return this.#starting;
  }

  #start(): Promise<SandboxInfo> {
    const { command, logger } = this.#options;
    const spawn = this.#options.spawn ?? nodeSpawn;
    this.#stopping = false;
    this.#stderrTail.length = 0;
    this.#set({ state: 'starting', connectionStrings: [] });
    return new Promise<SandboxInfo>((resolve) => {
      const found: string[] = [];
      let settleTimer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (info: SandboxInfo): void => {
        if (done) return;
        done = true;
        clearTimeout(startTimer);
        clearTimeout(settleTimer);
        this.#set(info);
        resolve(this.info());
      };
      const fail = (message: string, code: string): void => {
        const tail =
          this.#stderrTail.length > 0 ? ` (stderr: ${this.#stderrTail.slice(-3).join(' | ')})` : '';
        finish({
          state: 'failed',
          connectionStrings: [],
          error: serializeError(sandboxError(`${message}${tail}`, code)),
        });
      };
      const startTimer = setTimeout(() => {
        fail(
          `sandbox printed no connection string within ${this.#options.startTimeoutMs ?? 20_000} ms`,
          'sandbox-timeout',
        );
        void this.stop();
      }, this.#options.startTimeoutMs ?? 20_000);

      let child: ChildProcess;
      try {
        child = spawn(command.file, command.args, {
          cwd: command.cwd,
          env: command.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (error) {
        fail(`cannot start the sandbox: ${serializeError(error).message}`, 'sandbox-spawn');
        return;
      }
      this.#child = child;
      child.once('error', (error) => {
        this.#child = undefined;
        this.#starting = undefined;
        fail(`cannot start the sandbox: ${error.message}`, 'sandbox-spawn');
      });
      child.once('exit', (code, signal) => {
        this.#child = undefined;
        this.#starting = undefined;
        if (!done) {
          fail(
            `sandbox exited before it was ready (code ${code ?? 'none'}, signal ${signal ?? 'none'})`,
            'sandbox-exit',
          );
        } else if (this.#stopping) {
          // A start that failed (timeout) stays reported as failed after its child is killed.
          if (this.#info.state !== 'failed') this.#set({ state: 'stopped', connectionStrings: [] });
        } else {
          logger.warn(`sandbox exited unexpectedly (code ${code ?? 'none'}, signal ${signal ?? 'none'})`);
          this.#set({
            state: 'failed',
            connectionStrings: [],
            error: serializeError(
              sandboxError(`sandbox exited unexpectedly (code ${code ?? 'none'})`, 'sandbox-exit'),
            ),
          });
        }
      });
      if (child.stdout !== null) {
        createInterface({ input: child.stdout }).on('line', (line) => {
          for (const uri of connectionStringsIn(line)) if (!found.includes(uri)) found.push(uri);
          if (done || found.length === 0) return;
          const ready = (): void =>
            finish({ state: 'running', connectionStrings: [...found], profileId: SANDBOX_PROFILE_ID });
          const hasTcp = found.some((u) => u.startsWith('tcp'));
          const hasWs = found.some((u) => u.startsWith('ws'));
          if (hasTcp && hasWs) ready();
          else settleTimer ??= setTimeout(ready, this.#options.settleMs ?? 500);
        });
      }
      if (child.stderr !== null) {
        createInterface({ input: child.stderr }).on('line', (line) => {
          this.#stderrTail.push(line.slice(0, 500));
          if (this.#stderrTail.length > 20) this.#stderrTail.shift();
          logger.warn(`sandbox: ${line.slice(0, 500)}`);
        });
      }
    });
  }

  /** Stops the child: SIGTERM, then SIGKILL after the grace period. Resolves when it exited. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const grace = this.#options.stopGraceMs ?? 3000;
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), grace);
      }),
    ]);
    clearTimeout(timer);
    if (killed) {
      child.kill('SIGKILL');
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
    }
  }

  #set(info: SandboxInfo): void {
    this.#info = info;
    for (const listener of this.#listeners) listener(this.info());
  }
}
