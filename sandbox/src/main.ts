/** `npm run sandbox`: starts the local AMPS-compatible server until SIGINT/SIGTERM. */
import { CliError, parseCli, USAGE } from './cli.js';
import { DEMO_TOPICS, startDemo } from './demo.js';
import type { DemoFeeder } from './demo.js';
import { consoleLogger } from './logger.js';
import type { SandboxConfig } from './config.js';
import { createSandboxServer } from './server.js';
import type { SandboxServer } from './server.js';
import { startStandby } from './standby.js';

/** `--standby`: follows the journal until its writer ends, then serves it. */
async function standBy(config: SandboxConfig): Promise<SandboxServer> {
  const standby = startStandby(config);
  console.log(
    `sandbox: standing by on journal ${config.journalDir ?? ''} (${standby.records} records read); ` +
      'serving once its writer ends',
  );
  const { server, takeover } = await standby.serving;
  const from =
    takeover.previousPid === undefined ? 'with no writer' : `from pid ${takeover.previousPid}, which is gone`;
  console.log(
    `sandbox: took the journal over ${from}: read the last ${takeover.tailRecords} of ` +
      `${takeover.records} records and listened in ${takeover.ms.toFixed(1)} ms ` +
      `(writer noticed gone at ${new Date(takeover.noticedAt).toISOString()})`,
  );
  return server;
}

async function main(): Promise<number> {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`sandbox: ${e.message}`);
      console.error(USAGE);
      return 2;
    }
    throw e;
  }
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const logger = consoleLogger();
  // A sandbox serves many clients: log an unexpected error instead of taking them all down.
  process.on('uncaughtException', (e) => logger.error(`unexpected error: ${e.stack ?? String(e)}`));
  const config = { ...cli.config, logger };
  if (cli.demo) {
    const declared = new Set((config.topics ?? []).map((t) => t.name));
    config.topics = [...(config.topics ?? []), ...DEMO_TOPICS.filter((t) => !declared.has(t.name))];
  }
  let server;
  try {
    server = cli.standby ? await standBy(config) : await createSandboxServer(config);
  } catch (e) {
    console.error(`sandbox: cannot start: ${(e as Error).message}`);
    return 1;
  }
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  if (server.ports.tcp !== undefined)
    console.log(`AMPS sandbox listening: tcp://${host}:${server.ports.tcp}/amps/json`);
  if (server.ports.ws !== undefined)
    console.log(`                       ws://${host}:${server.ports.ws}/amps/json`);
  if (server.ports.wss !== undefined)
    console.log(`                       wss://${host}:${server.ports.wss}/amps/json`);
  if (server.ports.tls !== undefined)
    console.log(`                       tcps://${host}:${server.ports.tls}/amps/json`);
  if (server.ports.unix !== undefined)
    console.log(`                       unix://${server.ports.unix}/amps/json`);
  if (server.ports.admin !== undefined)
    console.log(`admin:                 http://127.0.0.1:${server.ports.admin}/topics`);
  let demo: DemoFeeder | undefined;
  if (cli.demo) {
    demo = startDemo(server.broker, cli.demoRate);
    console.log(`demo data: orders (SOW /id), market_data (${cli.demoRate}/s, SOW /symbol), jobs (queue)`);
  }
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      console.log(`sandbox: ${signal} received, shutting down`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  demo?.stop();
  await running.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`sandbox: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
