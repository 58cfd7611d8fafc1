/**
 * Loads @finos/perspective on first use (a dynamic import, so the app does not pay for it
 * unless the perspective grid engine is chosen): its WASM served by the app (`?url` assets,
 * fetched from 'self'; compiling them needs `script-src 'wasm-unsafe-eval'`) and its engine in
 * a Worker bundled from the package's worker script, so `worker-src` stays 'self' rather than
 * the package's default `blob:` worker. One engine is shared by every view.
 */

/** The parts of perspective's View this app uses. */
export interface PerspectiveView {
  num_rows(): Promise<number>;
  to_columns(window: { start_row: number; end_row: number }): Promise<Record<string, unknown[]>>;
  on_update(callback: () => void): Promise<unknown>;
  delete(): Promise<void>;
}

/** A view's sort: column and direction. */
export type PerspectiveSort = [string, 'asc' | 'desc'];

/** The parts of perspective's Table this app uses. */
export interface PerspectiveTable {
  update(rows: Record<string, unknown>[]): Promise<unknown>;
  remove(keys: string[]): Promise<void>;
  view(config: { columns: string[]; sort: PerspectiveSort[] }): Promise<PerspectiveView>;
  delete(): Promise<void>;
}

/** The parts of perspective's Client this app uses. */
export interface PerspectiveClient {
  table(schema: Record<string, string>, options: { index: string }): Promise<PerspectiveTable>;
}

interface PerspectiveModule {
  init_server(wasm: Promise<ArrayBuffer>): void;
  init_client(wasm: Promise<ArrayBuffer>): void;
  worker(worker: Promise<Worker>): Promise<PerspectiveClient>;
}

let client: Promise<PerspectiveClient> | undefined;

/** The shared perspective client (its engine in a worker); loads it on the first call. */
export function perspectiveClient(): Promise<PerspectiveClient> {
  client ??= load().catch((error: unknown) => {
    client = undefined;
    throw new Error(`perspective did not load: ${error instanceof Error ? error.message : String(error)}`);
  });
  return client;
}

async function wasmBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function load(): Promise<PerspectiveClient> {
  const [mod, serverWasm, clientWasm, worker] = await Promise.all([
    import('@finos/perspective'),
    import('@finos/perspective/dist/wasm/perspective-server.wasm?url'),
    import('@finos/perspective/dist/wasm/perspective-js.wasm?url'),
    import('@finos/perspective/dist/cdn/perspective-server.worker.js?worker'),
  ]);
  const psp = mod.default as unknown as PerspectiveModule;
  // Bytes, not the Response: perspective compiles a Response with instantiateStreaming, which
  // wants the `application/wasm` content type our static servers do not send for `.wasm`.
  psp.init_server(wasmBytes(serverWasm.default));
  psp.init_client(wasmBytes(clientWasm.default));
  const EngineWorker = worker.default;
  return psp.worker(Promise.resolve(new EngineWorker({ name: 'perspective' })));
}
