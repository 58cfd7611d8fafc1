/**
 * Where an open connection goes and how: turns an open request (a saved profile or a typed
 * connection string) into the server list shown to the user (passwords redacted) and the
 * options the HA client is built with (user and password put into its URIs), and the scrubber
 * that keeps those passwords out of the texts shown for that connection.
 */
import { randomUUID } from 'node:crypto';
import type { OpenConnectionRequest } from '../../../common/src/dto/connections.js';
import type { Profile } from '../../../common/src/dto/profiles.js';
import {
  encodeCredential,
  locateCredentials,
  splitCredentials,
} from '../../../client/src/uri/credentials.js';
import type { AmpsConnectionOptions, AmpsHaOptions } from './ampsAdapter.js';
import { redact, refuseFileOptions, splitPassword, withPassword } from './connectionStrings.js';

/** A profile with what main keeps apart from it (password, TLS material). */
export interface ResolvedProfile {
  profile: Profile;
  password?: string;
  /** PEM text of the profile's TLS files, when it has any. */
  tls?: { ca?: string; cert?: string; key?: string };
}

/** Finds a profile and its secrets by id. */
export interface ProfileResolver {
  resolve(profileId: string): Promise<ResolvedProfile>;
}

/** HA settings of a connection opened from a typed connection string. */
export const DEFAULT_HA_OPTIONS: AmpsHaOptions = {
  delay: { kind: 'exponential', initialMs: 200, maxMs: 20_000, backoff: 2, jitter: 1 },
  giveUpMs: 0,
  resubscribe: true,
};

/** What an open request resolves to: what the UI shows and what the client is built with. */
export interface ConnectionTarget {
  servers: string[];
  name: string;
  profileId?: string;
  production?: boolean;
  color?: string;
  options: AmpsConnectionOptions;
}

/** Puts the profile's user into a connection string, replacing the one written in it. */
function withUser(connectionString: string, user: string | undefined): string {
  const stripped = splitCredentials(connectionString).connectionString;
  if (user === undefined || user === '') return stripped;
  const sep = stripped.indexOf('://');
  if (sep < 0) return stripped;
  const span = locateCredentials(stripped);
  const rest = stripped.slice(span === undefined ? sep + 3 : span.at + 1);
  return `${stripped.slice(0, sep + 3)}${encodeCredential(user)}@${rest}`;
}

/** Replaces every password of `uris` (as written and percent-encoded) in a text with `***`. */
export function scrubberFor(uris: readonly string[]): (text: string) => string {
  const secrets = new Set<string>();
  for (const uri of uris) {
    const password = splitCredentials(uri).password;
    if (password === undefined || password === '') continue;
    secrets.add(password);
    secrets.add(encodeCredential(password));
  }
  const list = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => list.reduce((out, secret) => out.split(secret).join('***'), text);
}

/**
 * The target of an open request. TLS files come from a profile's TLS section only; a
 * connection string naming files is refused.
 */
export async function connectionTarget(
  request: OpenConnectionRequest,
  profiles: ProfileResolver,
  logonTimeoutMs: number | undefined,
): Promise<ConnectionTarget> {
  const defaultName = `amps-explorer-${randomUUID().slice(0, 8)}`;
  const timeout = logonTimeoutMs === undefined ? {} : { timeoutMs: logonTimeoutMs };
  if ('profileId' in request) {
    const { profile, password, tls } = await profiles.resolve(request.profileId);
    // TLS files come from the profile's TLS section (picked by the user), never from a string.
    for (const server of profile.servers) refuseFileOptions(server);
    const uris = profile.servers.map((s) => withPassword(withUser(s, profile.user), password));
    return {
      servers: uris.map(redact),
      name: profile.name,
      profileId: profile.id,
      production: profile.production,
      ...(profile.color === undefined ? {} : { color: profile.color }),
      options: {
        clientName: profile.clientName ?? defaultName,
        uris,
        ha: {
          delay: profile.ha.delay,
          giveUpMs: profile.ha.giveUpMs ?? 0,
          resubscribe: profile.ha.resubscribe,
        },
        bookmarkStore: profile.bookmarkStore,
        publishStore: profile.publishStore,
        tls: { verify: profile.tls.verify, ...tls },
        ...(profile.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: profile.heartbeatSeconds }),
        ...timeout,
      },
    };
  }
  refuseFileOptions(request.connectionString);
  const split = splitPassword(request.connectionString);
  const password = request.password ?? split.password;
  return {
    servers: [split.connectionString],
    name: request.name ?? split.connectionString,
    options: {
      clientName: defaultName,
      uris: [withPassword(split.connectionString, password)],
      ha: DEFAULT_HA_OPTIONS,
      bookmarkStore: { kind: 'memory' },
      publishStore: { kind: 'none' },
      ...timeout,
    },
  };
}
