import { describe, expect, it } from 'vitest';
import { MAX_PEM_BYTES } from '../src/dto/profiles.js';
import { ValidationError } from '../src/ipc/errors.js';
import { pemProblem } from '../src/ipc/profileSchemas.js';
import { parseRequest } from '../src/ipc/schemas.js';

const problem = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
  throw new Error('expected a ValidationError');
};

const PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
const full = {
  id: 'p-1',
  name: 'HA',
  servers: ['tcp://a:9007/amps/json', 'tcp://b:9007/amps/json'],
  user: 'u',
  password: 'pw',
  clientName: 'c',
  heartbeatSeconds: 10,
  tls: { verify: true, ca: { fileName: 'ca.pem', pem: PEM }, cert: null },
  ha: {
    delay: { kind: 'exponential', initialMs: 200, maxMs: 20_000, backoff: 2, jitter: 1 },
    giveUpMs: 60_000,
    resubscribe: true,
  },
  bookmarkStore: { kind: 'file', path: '/var/tmp/x.bm' },
  publishStore: { kind: 'memory' },
  adminUrl: 'http://a:8085/amps',
  color: 'red',
  production: true,
};

describe('profile schemas', () => {
  it('accepts a full profile and a minimal one', () => {
    expect(parseRequest('saveProfile', full)).toEqual(full);
    expect(parseRequest('saveProfile', { name: 'P', servers: ['tcp://h:1/amps/json'] })).toEqual({
      name: 'P',
      servers: ['tcp://h:1/amps/json'],
    });
    expect(
      parseRequest('saveProfile', {
        ...full,
        ha: { delay: { kind: 'fixed', delayMs: 0 }, resubscribe: false },
      }).ha,
    ).toEqual({
      delay: { kind: 'fixed', delayMs: 0 },
      resubscribe: false,
    });
    expect(
      parseRequest('saveProfile', { ...full, bookmarkStore: { kind: 'file', path: 'C:\\data\\x.bm' } })
        .bookmarkStore,
    ).toEqual({
      kind: 'file',
      path: 'C:\\data\\x.bm',
    });
  });

  it('names what is wrong', () => {
    expect(problem(() => parseRequest('saveProfile', { ...full, servers: [] }))).toBe(
      'payload.servers: at least one server is needed',
    );
    expect(problem(() => parseRequest('saveProfile', { ...full, servers: ['tcp://a b:1/amps/json'] }))).toBe(
      'payload.servers[0]: a connection string must not contain spaces',
    );
    expect(
      problem(() =>
        parseRequest('saveProfile', { ...full, servers: Array.from({ length: 17 }, () => 'tcp://h:1') }),
      ),
    ).toBe('payload.servers: more than 16 items (17)');
    expect(
      problem(() =>
        parseRequest('saveProfile', {
          ...full,
          ha: {
            delay: { kind: 'exponential', initialMs: 500, maxMs: 100, backoff: 2, jitter: 0 },
            resubscribe: true,
          },
        }),
      ),
    ).toMatch(/maxMs \(100\) must not be below initialMs \(500\)/);
    expect(
      problem(() =>
        parseRequest('saveProfile', { ...full, bookmarkStore: { kind: 'file', path: 'relative/x.bm' } }),
      ),
    ).toMatch(/must be an absolute file path/);
    expect(problem(() => parseRequest('saveProfile', { ...full, adminUrl: 'ftp://a/amps' }))).toMatch(
      /payload\.adminUrl: must be an http/,
    );
    expect(problem(() => parseRequest('saveProfile', { ...full, adminUrl: 'http://u:p@a/amps' }))).toMatch(
      /without credentials/,
    );
    expect(problem(() => parseRequest('saveProfile', { ...full, color: 'chartreuse' }))).toMatch(
      /payload\.color: expected one of 'red'/,
    );
    expect(problem(() => parseRequest('saveProfile', { ...full, connectionString: 'tcp://h:1' }))).toMatch(
      /payload\.connectionString: unknown key/,
    );
  });

  it('accepts PEM text up to 1 MiB, and nothing else', () => {
    expect(pemProblem(PEM)).toBeUndefined();
    expect(pemProblem('hello')).toMatch(/no -----BEGIN line/);
    expect(pemProblem('-----BEGIN CERTIFICATE-----\nAAAA')).toMatch(/no -----END line/);
    expect(pemProblem(`${PEM}\u0000`)).toMatch(/non-ASCII or control characters/);
    expect(
      problem(() =>
        parseRequest('saveProfile', {
          ...full,
          tls: { verify: true, key: { fileName: 'k', pem: '\u00e9' } },
        }),
      ),
    ).toMatch(/^payload\.tls\.key\.pem: is not PEM text/);
    const big = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(MAX_PEM_BYTES)}\n-----END CERTIFICATE-----\n`;
    expect(
      problem(() =>
        parseRequest('saveProfile', {
          ...full,
          tls: { verify: true, ca: { fileName: 'big.pem', pem: big } },
        }),
      ),
    ).toMatch(/payload\.tls\.ca\.pem: longer than 1048576 characters/);
  });

  it('validates reorder, export and import payloads', () => {
    expect(parseRequest('reorderProfiles', { ids: ['a', 'b'] })).toEqual({ ids: ['a', 'b'] });
    expect(problem(() => parseRequest('reorderProfiles', { ids: ['../x'] }))).toMatch(
      /payload\.ids\[0\]: must be an identifier/,
    );
    expect(parseRequest('exportProfiles', { includePasswords: false })).toEqual({ includePasswords: false });
    expect(problem(() => parseRequest('exportProfiles', {}))).toMatch(/payload\.includePasswords: missing/);
    expect(problem(() => parseRequest('importProfiles', { fileName: 'x.json', json: '' }))).toBe(
      'payload.json: must not be empty',
    );
    expect(parseRequest('duplicateProfile', { id: 'p-1' })).toEqual({ id: 'p-1' });
    expect(parseRequest('confirmProfilesMigration', undefined)).toBeUndefined();
    expect(parseRequest('listTopics', { connectionId: 'conn-1' })).toEqual({ connectionId: 'conn-1' });
    expect(parseRequest('loadWorkspace', null)).toBeUndefined();
  });
});
