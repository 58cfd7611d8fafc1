/**
 * `npm run spark -- <command> ...`: a command-line AMPS client in the spirit of 60East's spark.
 * Exit codes: 0 success, 1 an AMPS or connection error, 2 a usage error.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AmpsError } from '../src/errors.js';
import { parseSparkArgs, SPARK_USAGE, SparkUsageError } from './args.js';
import { runSpark } from './run.js';

async function* readLines(file: string | undefined): AsyncIterable<string> {
  const input = file === undefined ? process.stdin : createReadStream(file);
  yield* createInterface({ input, crlfDelay: Infinity });
}

/**
 * Ends the command quietly when its output is closed early (`spark sow ... | head -1`), as Unix
 * tools do: the reader went away, which is not an error. Other output errors end it too.
 */
function watchStdout(abort: AbortController): { closed: boolean } {
  const state = { closed: false };
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    state.closed = true;
    abort.abort();
    if (error.code !== 'EPIPE') {
      process.stderr.write(`spark: cannot write the output: ${error.message}\n`);
      process.exitCode = 1;
    }
  });
  return state;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '-help' || argv[0] === '--help') {
    process.stdout.write(SPARK_USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const stdout = watchStdout(abort);
  try {
    const args = parseSparkArgs(argv);
    return await runSpark(args, {
      out: (line) => {
        if (!stdout.closed) process.stdout.write(line + '\n');
      },
      err: (line) => process.stderr.write(line + '\n'),
      readLines,
      signal: abort.signal,
    });
  } catch (error) {
    if (error instanceof SparkUsageError) {
      process.stderr.write(`spark: ${error.message}\n${SPARK_USAGE}\n`);
      return 2;
    }
    const name = error instanceof AmpsError ? error.name : 'Error';
    process.stderr.write(`spark: ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // An output error already chose the exit code.
    process.exitCode ??= code;
  },
  (error: unknown) => {
    process.stderr.write(`spark: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
