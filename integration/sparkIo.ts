/** The spark CLI's input and output captured in memory, for tests that run it in-process. */
import type { SparkIo } from '../client/cli/run.js';

/** A SparkIo that keeps what the CLI printed. */
export interface CapturedIo extends SparkIo {
  /** Lines written to standard output. */
  lines: string[];
  /** Lines written to standard error. */
  diagnostics: string[];
}

/** A captured SparkIo whose standard input is `input`, one line each. */
export function capturedIo(input: string[] = []): CapturedIo {
  const lines: string[] = [];
  const diagnostics: string[] = [];
  return {
    lines,
    diagnostics,
    out: (l) => lines.push(l),
    err: (l) => diagnostics.push(l),
    async *readLines() {
      yield* input;
    },
  };
}
