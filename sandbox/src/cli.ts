/** Command-line flags of `npm run sandbox` → a {@link SandboxConfig}. */
import { readFileSync } from 'node:fs';
import type { SandboxConfig, TopicConfig } from './config.js';
import { ConfigError, parseConfigJson, parseUsers } from './config.js';
import { isMessageType, MESSAGE_TYPES } from './messageTypes.js';

/** A flag problem (exit code 2). */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** What the CLI runs. */
export interface CliOptions {
  config: SandboxConfig;
  demo: boolean;
  demoRate: number;
  /** Follow the journal another sandbox writes and serve it when that one ends (standby.ts). */
  standby: boolean;
  help: boolean;
}

/** Usage text. */
export const USAGE = `usage: npm run sandbox -- [options]
  --host HOST             listen address (default 127.0.0.1)
  --port N                TCP port (default 9007; 0 = any free port)
  --ws-port N             WebSocket port (default 9008; "off" disables)
  --admin-port N          admin HTTP port on loopback (default 8085; "off" disables)
  --tls-port N --cert FILE --key FILE   TLS listener (tcps://)
  --wss-port N --cert FILE --key FILE   WebSocket over TLS listener (wss://)
  --unix PATH             unix-domain socket listener
  --config FILE           JSON config: {"topics":[{"name","keys","messageType","txlog","queue","expiration"}],"txlog":[regex],"users":{}}
  --journal DIR           keep the transaction log and SOW on disk in DIR (one sandbox writes a journal)
  --standby               with --journal: follow the journal another sandbox writes, listening on
                          nothing, and take it over (and listen) as soon as that sandbox ends
  --sow TOPIC=/key[,/key2]   declare a SOW topic (repeatable)
  --type TOPIC=TYPE       message type of a topic: json, fix, nvfix, xml, binary, msgpack, bson, bflat (repeatable)
  --txlog REGEX           record matching topics in the transaction log (repeatable)
  --queue TOPIC           declare a queue topic (repeatable)
  --users FILE            JSON users file {"user":"password"}; enables authentication
  --demo                  declare and feed demo topics: orders, market_data, jobs
  --demo-rate N           market_data ticks per second (default 100)
  --help                  this text`;

function port(flag: string, v: string | undefined): number | null {
  if (v === 'off') return null;
  if (v === undefined || !/^\d{1,5}$/.test(v) || Number(v) > 65535) {
    throw new CliError(
      `${flag} needs a port number 0..65535 (or "off"), got ${v === undefined ? 'nothing' : `"${v}"`}`,
    );
  }
  return Number(v);
}

function readFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`${flag} ${path}: cannot read (${(e as Error).message})`);
  }
}

/** Gives each `--type` topic its message type, declaring plain topics that no other flag named. */
function applyTypes(config: SandboxConfig, types: ReadonlyMap<string, string>): void {
  const topics = (config.topics ??= []);
  for (const [name, type] of types) {
    const matching = topics.filter((t) => t.name === name);
    if (matching.length === 0) topics.push({ name, messageType: type });
    for (const t of matching) {
      if (type === 'binary' && t.keys !== undefined && t.keys.length > 0)
        throw new CliError(`--type ${name}=binary: a binary topic cannot take SOW keys from content`);
      t.messageType = type;
    }
  }
}

/**
 * Parses the flags.
 * @throws CliError naming the bad flag or value
 */
export function parseCli(argv: readonly string[]): CliOptions {
  const out: CliOptions = {
    config: { host: '127.0.0.1', port: 9007, wsPort: 9008, adminPort: 8085 },
    demo: false,
    demoRate: 100,
    standby: false,
    help: false,
  };
  const topics: TopicConfig[] = [];
  const txlog: string[] = [];
  const types = new Map<string, string>();
  let tls: { port?: number; wssPort?: number; cert?: string; key?: string } | undefined;
  const take = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new CliError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    switch (flag) {
      case '--help':
      case '-h':
        out.help = true;
        break;
      case '--host':
        out.config.host = take(i++, flag);
        break;
      case '--port':
        out.config.port = port(flag, take(i++, flag));
        break;
      case '--ws-port':
        out.config.wsPort = port(flag, take(i++, flag));
        break;
      case '--admin-port':
        out.config.adminPort = port(flag, take(i++, flag));
        break;
      case '--tls-port':
        (tls ??= {}).port = port(flag, take(i++, flag)) ?? undefined;
        break;
      case '--wss-port':
        (tls ??= {}).wssPort = port(flag, take(i++, flag)) ?? undefined;
        break;
      case '--cert':
        (tls ??= {}).cert = take(i++, flag);
        break;
      case '--key':
        (tls ??= {}).key = take(i++, flag);
        break;
      case '--unix':
        out.config.unixPath = take(i++, flag);
        break;
      case '--journal':
        out.config.journalDir = take(i++, flag);
        break;
      case '--config': {
        const path = take(i++, flag);
        try {
          const file = parseConfigJson(readFile(flag, path), path);
          const { topics: fileTopics, txlogPatterns, ...rest } = file;
          Object.assign(out.config, rest);
          topics.push(...(fileTopics ?? []));
          txlog.push(...(txlogPatterns ?? []));
        } catch (e) {
          if (e instanceof ConfigError) throw new CliError(e.message);
          throw e;
        }
        break;
      }
      case '--users': {
        const path = take(i++, flag);
        try {
          out.config.users = parseUsers(JSON.parse(readFile(flag, path)), path);
        } catch (e) {
          if (e instanceof CliError) throw e;
          throw new CliError(`${flag} ${path}: ${(e as Error).message}`);
        }
        break;
      }
      case '--sow': {
        const v = take(i++, flag);
        const m = /^([^=]+)=(\/[^,\s]+(?:,\/[^,\s]+)*)$/.exec(v);
        if (!m) throw new CliError(`--sow needs TOPIC=/key[,/key2], got "${v}"`);
        topics.push({ name: m[1] as string, sow: true, keys: (m[2] as string).split(',') });
        break;
      }
      case '--type': {
        const v = take(i++, flag);
        const m = /^([^=]+)=(.*)$/.exec(v);
        if (!m || !isMessageType(m[2] as string))
          throw new CliError(
            `--type needs TOPIC=TYPE with TYPE one of ${MESSAGE_TYPES.join(', ')}, got "${v}"`,
          );
        types.set(m[1] as string, m[2] as string);
        break;
      }
      case '--txlog': {
        const v = take(i++, flag);
        try {
          new RegExp(v);
        } catch (e) {
          throw new CliError(`--txlog "${v}" is not a valid regular expression: ${(e as Error).message}`);
        }
        txlog.push(v);
        break;
      }
      case '--queue':
        topics.push({ name: take(i++, flag), queue: true });
        break;
      case '--demo':
        out.demo = true;
        break;
      case '--standby':
        out.standby = true;
        break;
      case '--demo-rate': {
        const v = take(i++, flag);
        if (!/^\d+(\.\d+)?$/.test(v) || Number(v) > 1_000_000)
          throw new CliError(`--demo-rate needs a number of ticks per second, got "${v}"`);
        out.demoRate = Number(v);
        break;
      }
      default:
        throw new CliError(`unknown flag "${flag}" (see --help)`);
    }
  }
  if (tls) {
    if (
      (tls.port === undefined && tls.wssPort === undefined) ||
      tls.cert === undefined ||
      tls.key === undefined
    ) {
      throw new CliError('TLS needs all of --tls-port (or --wss-port), --cert and --key');
    }
    if (tls.port !== undefined) out.config.tls = { port: tls.port, certFile: tls.cert, keyFile: tls.key };
    if (tls.wssPort !== undefined)
      out.config.wss = { port: tls.wssPort, certFile: tls.cert, keyFile: tls.key };
  }
  if (out.standby && out.config.journalDir === undefined)
    throw new CliError('--standby needs --journal DIR: the journal to follow and take over');
  if (topics.length > 0) out.config.topics = [...(out.config.topics ?? []), ...topics];
  if (txlog.length > 0) out.config.txlogPatterns = txlog;
  if (types.size > 0) applyTypes(out.config, types);
  return out;
}
