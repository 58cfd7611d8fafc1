/** Logging seam of the sandbox: the CLI logs to the console, tests pass {@link silentLogger}. */
export interface SandboxLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything (tests). */
export const silentLogger: SandboxLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** A logger writing timestamped lines to stdout/stderr. */
export function consoleLogger(): SandboxLogger {
  const stamp = (): string => new Date().toISOString();
  return {
    info: (m) => console.log(`${stamp()} info  ${m}`),
    warn: (m) => console.warn(`${stamp()} warn  ${m}`),
    error: (m) => console.error(`${stamp()} error ${m}`),
  };
}
