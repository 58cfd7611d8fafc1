import { spawn as nodeSpawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_HA } from '../../../common/src/dto/profiles.js';
import type { SandboxInfo } from '../../../common/src/dto/sandbox.js';
import { ExplorerError, serializeError } from '../../../common/src/ipc/errors.js';
import type { Logger } from '../platform/logger.js';
import { messageTypeOf } from './profileRecords.js';
import type { BuiltInProfile } from './profiles.js';
import { portsOf } from './sandboxPorts.js';
import type { SandboxPortMemory, SandboxPorts } from './sandboxPorts.js';

/** How to start the sandbox server: a Node module with its arguments. */
export interface SandboxCommand {
  /** The script to run (`sandbox/src/main.ts` in development, the bundle when packaged). */
  module: string;
  /** Node flags before the module (e.g. `--import tsx`). */
  execArgv: string[];
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The sandbox's flags: demo data on the given loopback ports (0 = any free port). */
export function sandboxArgs(ports?: SandboxPorts): string[] {
  return [
    '--demo',
    '--port',
    String(ports?.tcp ?? 0),
    '--ws-port',
    String(ports?.ws ?? 0),
    '--admin-port',
    String(ports?.admin ?? 0),
  ];
}

/** Flags asking the sandbox for demo data on free loopback ports. */
export const SANDBOX_DEMO_ARGS = sandboxArgs();

/** Development: `sandbox/src/main.ts` through tsx. */
export function devSandboxCommand(repoRoot: string, args: string[] = SANDBOX_DEMO_ARGS): SandboxCommand {
  return {
    module: join(repoRoot, 'sandbox', 'src', 'main.ts'),
    execArgv: ['--import', 'tsx'],
    args,
    cwd: repoRoot,
  };
}

/** Packaged app: the bundled sandbox in `resources/sandbox/main.js` (see build/electron-builder.yml). */
export function packagedSandboxCommand(
  resourcesPath: string,
  args: string[] = SANDBOX_DEMO_ARGS,
): SandboxCommand {
  return { module: join(resourcesPath, 'sandbox', 'main.js'), execArgv: [], args, cwd: resourcesPath };
}

/** A started sandbox process, whatever started it (child_process or Electron's utilityProcess). */
export interface SandboxChild {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  /** SIGTERM asks it to stop; SIGKILL ends it. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): unknown;
}

/** Starts a sandbox process; throws when it cannot be started at all. */
export type SandboxLauncher = (command: SandboxCommand) => SandboxChild;

/**
 * The browser host's launcher: a child process of this Node executable. (The desktop app uses
 * Electron's utilityProcess instead, see platform/utilityLauncher.ts, so the Electron binary
 * never has to run as plain Node.)
 */
export function nodeLauncher(
  spawn: (file: string, args: string[], options: SpawnOptions) => ChildProcess = nodeSpawn,
): SandboxLauncher {
  return (command) =>
    spawn(process.execPath, [...command.execArgv, command.module, ...command.args], {
      cwd: command.cwd,
      env: command.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
}

/** The id of the built-in profile for the sandbox. */
export const SANDBOX_PROFILE_ID = 'local-sandbox';

/** Options of {@link SandboxProcess}. */
export interface SandboxProcessOptions {
  /** The command for the given sandbox flags. */
  command: (args: string[]) => SandboxCommand;
  logger: Logger;
  /** Default: a child process ({@link nodeLauncher}). */
  launch?: SandboxLauncher;
  /** Remembers the ports, so the sandbox keeps them across launches while they are free. */
  ports?: SandboxPortMemory;
  /** Give up (and kill the child) if no connection string appears in time. Default 20 s. */
  startTimeoutMs?: number;
  /** After the first tcp:// URI, wait this long for the ws:// URI and admin URL. Default 500 ms. */
  settleMs?: number;
  /** Grace period between SIGTERM and SIGKILL at stop. Default 3 s. */
  stopGraceMs?: number;
}

const URI_PATTERN = /\b(?:tcp|tcps|ws|wss):\/\/[^\s'"<>,;]+/g;
const ADMIN_PATTERN = /\bhttp:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+/;

/** Connection strings found in one line of the sandbox's output. */
export function connectionStringsIn(line: string): string[] {
  return [...line.matchAll(URI_PATTERN)].map((m) => m[0].replace(/[.)\]]+$/, ''));
}

/** The admin endpoint's base URL (`http://127.0.0.1:PORT`) in a line of the sandbox's output. */
export function adminUrlIn(line: string): string | undefined {
  return /\badmin\b/i.test(line) ? ADMIN_PATTERN.exec(line)?.[0] : undefined;
}

const sandboxError = (message: string, code: string): ExplorerError =>
  new ExplorerError({ name: 'SandboxError', message, code, retriable: true });

/**
 * The local sandbox server as a separate process: started with demo data, its connection
 * strings and admin URL read from its output, stopped at shutdown. With a port memory, it is
 * started on the ports of the last launch when they are free (so saved views still point at
 * it), else on free ones.
 */
export class SandboxProcess {
  readonly #options: SandboxProcessOptions;
  #child: SandboxChild | undefined;
  #exited = true;
  #info: SandboxInfo = { state: 'stopped', connectionStrings: [] };
  #adminUrl: string | undefined;
  #lastKnown: string[] = [];
  #stopping = false;
  #starting: Promise<SandboxInfo> | undefined;
  #inFlight = false;
  readonly #listeners = new Set<(info: SandboxInfo) => void>();
  readonly #stderrTail: string[] = [];

  constructor(options: SandboxProcessOptions) {
    this.#options = options;
  }

  info(): SandboxInfo {
    return structuredClone(this.#info);
  }

  /** The admin endpoint (`http://127.0.0.1:PORT`) while running. */
  adminUrl(): string | undefined {
    return this.#info.state === 'running' ? this.#adminUrl : undefined;
  }

  onChange(listener: (info: SandboxInfo) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * "Local sandbox": its TCP connection string, no password. Offered while it runs, and while
   * it starts or after it stopped with the address it had (the same ports are tried again).
   */
  builtInProfile(): BuiltInProfile | undefined {
    const strings = this.#info.state === 'running' ? this.#info.connectionStrings : this.#lastKnown;
    const uri = strings.find((s) => s.startsWith('tcp://')) ?? strings[0];
    if (uri === undefined) return undefined;
    return {
      profile: {
        id: SANDBOX_PROFILE_ID,
        name: 'Local sandbox',
        servers: [uri],
        hasPassword: false,
        tls: { verify: true },
        ha: structuredClone(DEFAULT_HA),
        bookmarkStore: { kind: 'memory' },
        publishStore: { kind: 'memory' },
        production: false,
        builtIn: true,
        messageType: messageTypeOf(uri),
      },
    };
  }

  /** Starts the process; resolves with `running` info, or `failed` info (never rejects). */
  start(): Promise<SandboxInfo> {
    if (this.#starting !== undefined && (this.#inFlight || !this.#exited)) return this.#starting;
    this.#inFlight = true;
    this.#starting = this.#startOnPorts().finally(() => {
      this.#inFlight = false;
    });
    return this.#starting;
  }

  async #startOnPorts(): Promise<SandboxInfo> {
    const memory = this.#options.ports;
    const remembered = await memory?.freeRemembered();
    if (remembered === undefined && memory !== undefined) {
      const last = await memory.read();
      if (last !== undefined)
        this.#options.logger.info('sandbox: the ports of the last launch are taken; using free ones');
    }
    if (remembered !== undefined) {
      this.#lastKnown = [
        `tcp://127.0.0.1:${remembered.tcp}/amps/json`,
        `ws://127.0.0.1:${remembered.ws}/amps/json`,
      ];
    }
    let info = await this.#start(sandboxArgs(remembered));
    if (info.state === 'failed' && remembered !== undefined && info.error?.code === 'sandbox-exit') {
      // Taken between the check and the start: free ports this time.
      this.#options.logger.warn('sandbox: could not start on the remembered ports; trying free ones');
      info = await this.#start(sandboxArgs());
    }
    if (info.state === 'running') {
      this.#lastKnown = [...info.connectionStrings];
      const ports = portsOf(info.connectionStrings, this.#adminUrl);
      if (ports !== undefined && memory !== undefined) {
        await memory
          .write(ports)
          .catch((error: unknown) =>
            this.#options.logger.warn(
              `sandbox: could not remember its ports: ${serializeError(error).message}`,
            ),
          );
      }
    }
    return info;
  }

  #start(args: string[]): Promise<SandboxInfo> {
    const { logger } = this.#options;
    const command = this.#options.command(args);
    const launch = this.#options.launch ?? nodeLauncher();
    this.#stopping = false;
    this.#stderrTail.length = 0;
    this.#adminUrl = undefined;
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
      const startMs = this.#options.startTimeoutMs ?? 20_000;
      const startTimer = setTimeout(() => {
        fail(`sandbox printed no connection string within ${startMs} ms`, 'sandbox-timeout');
        void this.stop();
      }, startMs);

      let child: SandboxChild;
      try {
        child = launch(command);
      } catch (error) {
        fail(`cannot start the sandbox: ${serializeError(error).message}`, 'sandbox-spawn');
        return;
      }
      this.#child = child;
      this.#exited = false;
      child.once('error', (error) => {
        this.#exited = true;
        this.#child = undefined;
        fail(`cannot start the sandbox: ${error.message}`, 'sandbox-spawn');
      });
      child.once('exit', (code, signal) => {
        this.#exited = true;
        this.#child = undefined;
        const how = `code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
        if (!done) {
          fail(`sandbox exited before it was ready (${how})`, 'sandbox-exit');
        } else if (this.#stopping) {
          // A start that failed (timeout) stays reported as failed after its process is killed.
          if (this.#info.state !== 'failed') this.#set({ state: 'stopped', connectionStrings: [] });
        } else {
          logger.warn(`sandbox exited unexpectedly (${how})`);
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
          this.#adminUrl ??= adminUrlIn(line);
          for (const uri of connectionStringsIn(line)) if (!found.includes(uri)) found.push(uri);
          if (done || found.length === 0) return;
          const ready = (): void =>
            finish({ state: 'running', connectionStrings: [...found], profileId: SANDBOX_PROFILE_ID });
          const hasTcp = found.some((u) => u.startsWith('tcp'));
          const hasWs = found.some((u) => u.startsWith('ws'));
          if (hasTcp && hasWs && this.#adminUrl !== undefined) ready();
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

  /** Stops the process: SIGTERM, then SIGKILL after the grace period. Resolves when it exited. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || this.#exited) return;
    this.#stopping = true;
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
