import type { SandboxChild, SandboxCommand, SandboxLauncher } from '../services/sandboxProcess.js';

/** The part of an Electron `UtilityProcess` the launcher uses (a fake in tests). */
export interface UtilityChildLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** The part of Electron's `utilityProcess` module the launcher uses. */
export interface UtilityProcessModule {
  fork(
    modulePath: string,
    args: string[],
    options: {
      stdio: 'pipe';
      execArgv: string[];
      cwd?: string;
      env?: NodeJS.ProcessEnv;
      serviceName: string;
    },
  ): UtilityChildLike;
}

/**
 * Starts the sandbox as an Electron utility process: a Node environment Chromium runs and
 * supervises, so the app never starts its own binary as plain Node (the `runAsNode` fuse can
 * stay off). `kill('SIGTERM')` asks it to stop; `kill('SIGKILL')` ends it by its pid.
 */
export function utilityLauncher(
  utilityProcess: UtilityProcessModule,
  killPid: (pid: number, signal: 'SIGKILL') => void = (pid, signal) => process.kill(pid, signal),
): SandboxLauncher {
  return (command: SandboxCommand): SandboxChild => {
    const child = utilityProcess.fork(command.module, command.args, {
      stdio: 'pipe',
      execArgv: command.execArgv,
      ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
      ...(command.env === undefined ? {} : { env: command.env }),
      serviceName: 'AMPS sandbox',
    });
    const adapted: SandboxChild = {
      stdout: child.stdout,
      stderr: child.stderr,
      once(event: 'exit' | 'error', listener: (...args: never[]) => void) {
        // A utility process reports a failed start as an exit; it has no 'error' event to map.
        if (event === 'exit') {
          child.once('exit', (code) =>
            (listener as (c: number | null, s: NodeJS.Signals | null) => void)(code, null),
          );
        }
        return adapted;
      },
      kill(signal) {
        if (signal === 'SIGKILL' && child.pid !== undefined) {
          try {
            killPid(child.pid, 'SIGKILL');
            return true;
          } catch {
            return false;
          }
        }
        return child.kill();
      },
    };
    return adapted;
  };
}
