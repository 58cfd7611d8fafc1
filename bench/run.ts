/**
 * `npm run bench -- <name>...`: runs the named benchmarks (all when none is named) and prints
 * their figures, each beside a baseline measured in the same run.
 */
const BENCHES: Record<string, () => Promise<string[]>> = {
  client: async () => (await import('./client.js')).runClientBench({}),
  failover: async () => (await import('./failover.js')).runFailoverBench({}),
  ui: async () => (await import('./ui.js')).runUiBench({}),
  grid: async () => (await import('./grid.js')).runGridBench(),
  sandbox: async () => (await import('./sandbox.js')).runSandboxBench({}),
  soak: async () => (await import('./soak.js')).runSoakBench(),
  codecs: async () => (await import('./codecs.js')).runCodecsBench({}),
  charts: async () => (await import('./charts.js')).runChartsBench(),
  publish: async () => (await import('./publish.js')).runPublishBench({}),
  export: async () => (await import('./messageExport.js')).runMessageExportBench(),
};

async function main(names: string[]): Promise<void> {
  const chosen = names.length > 0 ? names : Object.keys(BENCHES);
  for (const name of chosen) {
    const bench = BENCHES[name];
    if (!bench) {
      process.stderr.write(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(`== ${name}\n`);
    for (const line of await bench()) process.stdout.write(`${line}\n`);
  }
}

await main(process.argv.slice(2));
export {};
