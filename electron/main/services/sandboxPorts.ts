import { createServer } from 'node:net';
import { join } from 'node:path';
import type { FileOps } from './atomicFile.js';
import { nodeFileOps, writeFileAtomic } from './atomicFile.js';

/** The loopback ports the sandbox listens on. */
export interface SandboxPorts {
  tcp: number;
  ws: number;
  admin?: number;
}

/** The file in the user-data folder where the last ports are kept. */
export const SANDBOX_PORTS_FILE = 'sandbox-ports.json';

const isPort = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65_536;

/** The ports of a running sandbox, read from its connection strings and admin URL. */
export function portsOf(
  connectionStrings: readonly string[],
  adminUrl: string | undefined,
): SandboxPorts | undefined {
  const portOf = (prefix: string): number | undefined => {
    const uri = connectionStrings.find((s) => s.startsWith(prefix));
    const m = uri === undefined ? null : /:(\d+)(?:\/|$)/.exec(uri.slice(prefix.length));
    const port = m === null ? undefined : Number(m[1]);
    return isPort(port) ? port : undefined;
  };
  const tcp = portOf('tcp://');
  const ws = portOf('ws://');
  if (tcp === undefined || ws === undefined) return undefined;
  const adminMatch = adminUrl === undefined ? null : /:(\d+)$/.exec(adminUrl);
  const admin = adminMatch === null ? undefined : Number(adminMatch[1]);
  return { tcp, ws, ...(isPort(admin) ? { admin } : {}) };
}

/** True when nothing listens on the loopback port (checked by listening on it for a moment). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Remembers the sandbox's ports across launches in `<dir>/sandbox-ports.json`. */
export class SandboxPortMemory {
  readonly path: string;
  readonly #fs: FileOps;

  constructor(dir: string, fs: FileOps = nodeFileOps) {
    this.path = join(dir, SANDBOX_PORTS_FILE);
    this.#fs = fs;
  }

  /** The remembered ports, or undefined (none yet, or the file is not ours). */
  async read(): Promise<SandboxPorts | undefined> {
    try {
      const text = await this.#fs.readFile(this.path, 'utf8');
      if (text.length > 4096) return undefined;
      const raw = JSON.parse(text) as Record<string, unknown>;
      if (!isPort(raw.tcp) || !isPort(raw.ws)) return undefined;
      return { tcp: raw.tcp, ws: raw.ws, ...(isPort(raw.admin) ? { admin: raw.admin } : {}) };
    } catch {
      return undefined;
    }
  }

  /** The remembered ports when every one of them is free now. */
  async freeRemembered(): Promise<SandboxPorts | undefined> {
    const ports = await this.read();
    if (ports === undefined) return undefined;
    const wanted = [ports.tcp, ports.ws, ...(ports.admin === undefined ? [] : [ports.admin])];
    if (new Set(wanted).size !== wanted.length) return undefined;
    const free = await Promise.all(wanted.map((p) => portIsFree(p)));
    return free.every(Boolean) ? ports : undefined;
  }

  async write(ports: SandboxPorts): Promise<void> {
    await writeFileAtomic(this.#fs, this.path, `${JSON.stringify(ports)}\n`);
  }
}
