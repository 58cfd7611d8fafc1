/**
 * The profile form's draft: every profile field as the form holds it (text as typed), the
 * draft of a new or of a saved profile, and the save request built from a draft.
 */
import type {
  HaDelay,
  PemUpload,
  PickedFile,
  Profile,
  ProfileColor,
  SaveProfileRequest,
  SaveProfileTls,
  StoreChoice,
} from '../../../common/src/dto/profiles.js';
import { DEFAULT_HA } from '../../../common/src/dto/profiles.js';

/** A TLS file field: nothing, the stored file (kept), a newly picked file, or cleared. */
export type FileSlot =
  | { kind: 'none' }
  | { kind: 'kept'; file: PickedFile }
  | { kind: 'new'; upload: PemUpload }
  | { kind: 'cleared'; file: PickedFile };

/** The TLS file fields. */
export type TlsFileField = 'ca' | 'cert' | 'key';

/** One server row; `key` identifies the row across reorders (for keyed rendering). */
export interface ServerDraft {
  key: number;
  text: string;
}

/** A store as the form holds it. */
export interface StoreDraft {
  kind: StoreChoice['kind'];
  path: string;
}

/** Every field of the form, as typed. */
export interface ProfileDraft {
  id: string | undefined;
  name: string;
  servers: ServerDraft[];
  user: string;
  /** What was typed in the password box (empty = keep the stored one, if any). */
  password: string;
  /** The stored password is to be removed. */
  clearPassword: boolean;
  /** A password is stored for this profile. */
  hasPassword: boolean;
  clientName: string;
  heartbeatSeconds: string;
  tlsVerify: boolean;
  tls: Record<TlsFileField, FileSlot>;
  delayKind: HaDelay['kind'];
  fixedDelayMs: string;
  initialMs: string;
  maxMs: string;
  backoff: string;
  jitter: string;
  /** Give up after this many seconds of outage; empty = never. */
  giveUpSeconds: string;
  resubscribe: boolean;
  bookmarkStore: StoreDraft;
  publishStore: StoreDraft;
  adminUrl: string;
  color: ProfileColor | '';
  production: boolean;
}

let nextKey = 1;
/** A new server row holding `text`. */
export const serverDraft = (text: string): ServerDraft => ({ key: nextKey++, text });
const slotOf = (file: PickedFile | undefined): FileSlot =>
  file === undefined ? { kind: 'none' } : { kind: 'kept', file };
const storeDraft = (s: StoreChoice): StoreDraft => ({ kind: s.kind, path: s.kind === 'file' ? s.path : '' });

/** A draft for a new profile (the defaults of the official clients for HA). */
export function newDraft(): ProfileDraft {
  const delay = DEFAULT_HA.delay;
  return {
    id: undefined,
    name: '',
    servers: [serverDraft('')],
    user: '',
    password: '',
    clearPassword: false,
    hasPassword: false,
    clientName: '',
    heartbeatSeconds: '',
    tlsVerify: true,
    tls: { ca: { kind: 'none' }, cert: { kind: 'none' }, key: { kind: 'none' } },
    delayKind: delay.kind,
    fixedDelayMs: delay.kind === 'fixed' ? String(delay.delayMs) : '1000',
    initialMs: delay.kind === 'exponential' ? String(delay.initialMs) : '200',
    maxMs: delay.kind === 'exponential' ? String(delay.maxMs) : '20000',
    backoff: delay.kind === 'exponential' ? String(delay.backoff) : '2',
    jitter: delay.kind === 'exponential' ? String(delay.jitter) : '1',
    giveUpSeconds: DEFAULT_HA.giveUpMs === undefined ? '' : String(DEFAULT_HA.giveUpMs / 1000),
    resubscribe: DEFAULT_HA.resubscribe,
    bookmarkStore: { kind: 'none', path: '' },
    publishStore: { kind: 'none', path: '' },
    adminUrl: '',
    color: '',
    production: false,
  };
}

/** A draft holding a saved profile's fields. */
export function draftOf(profile: Profile): ProfileDraft {
  const base = newDraft();
  const d = profile.ha.delay;
  return {
    ...base,
    id: profile.id,
    name: profile.name,
    servers: (profile.servers.length > 0 ? profile.servers : ['']).map(serverDraft),
    user: profile.user ?? '',
    hasPassword: profile.hasPassword,
    clientName: profile.clientName ?? '',
    heartbeatSeconds: profile.heartbeatSeconds === undefined ? '' : String(profile.heartbeatSeconds),
    tlsVerify: profile.tls.verify,
    tls: { ca: slotOf(profile.tls.ca), cert: slotOf(profile.tls.cert), key: slotOf(profile.tls.key) },
    delayKind: d.kind,
    fixedDelayMs: d.kind === 'fixed' ? String(d.delayMs) : base.fixedDelayMs,
    initialMs: d.kind === 'exponential' ? String(d.initialMs) : base.initialMs,
    maxMs: d.kind === 'exponential' ? String(d.maxMs) : base.maxMs,
    backoff: d.kind === 'exponential' ? String(d.backoff) : base.backoff,
    jitter: d.kind === 'exponential' ? String(d.jitter) : base.jitter,
    giveUpSeconds: profile.ha.giveUpMs === undefined ? '' : String(profile.ha.giveUpMs / 1000),
    resubscribe: profile.ha.resubscribe,
    bookmarkStore: storeDraft(profile.bookmarkStore),
    publishStore: storeDraft(profile.publishStore),
    adminUrl: profile.adminUrl ?? '',
    color: profile.color ?? '',
    production: profile.production,
  };
}

const storeChoice = (s: StoreDraft): StoreChoice =>
  s.kind === 'file' ? { kind: 'file', path: s.path.trim() } : { kind: s.kind };

function tlsFile(slot: FileSlot): PemUpload | null | undefined {
  if (slot.kind === 'new') return slot.upload;
  if (slot.kind === 'cleared') return null;
  return undefined;
}

/** The save request for a valid draft. */
export function saveRequestOf(d: ProfileDraft): SaveProfileRequest {
  const tls: SaveProfileTls = { verify: d.tlsVerify };
  for (const field of ['ca', 'cert', 'key'] as const) {
    const file = tlsFile(d.tls[field]);
    if (file !== undefined) tls[field] = file;
  }
  const delay: HaDelay =
    d.delayKind === 'fixed'
      ? { kind: 'fixed', delayMs: Number(d.fixedDelayMs.trim()) }
      : {
          kind: 'exponential',
          initialMs: Number(d.initialMs.trim()),
          maxMs: Number(d.maxMs.trim()),
          backoff: Number(d.backoff.trim()),
          jitter: Number(d.jitter.trim()),
        };
  const request: SaveProfileRequest = {
    name: d.name.trim(),
    servers: d.servers.map((s) => s.text.trim()),
    tls,
    ha: {
      delay,
      resubscribe: d.resubscribe,
      ...(d.giveUpSeconds.trim() === '' ? {} : { giveUpMs: Number(d.giveUpSeconds.trim()) * 1000 }),
    },
    bookmarkStore: storeChoice(d.bookmarkStore),
    publishStore: storeChoice(d.publishStore),
    production: d.production,
  };
  if (d.id !== undefined) request.id = d.id;
  if (d.user.trim() !== '') request.user = d.user.trim();
  if (d.password !== '') request.password = d.password;
  else if (d.clearPassword) request.password = null;
  if (d.clientName.trim() !== '') request.clientName = d.clientName.trim();
  if (d.heartbeatSeconds.trim() !== '') request.heartbeatSeconds = Number(d.heartbeatSeconds.trim());
  if (d.adminUrl.trim() !== '') request.adminUrl = d.adminUrl.trim();
  if (d.color !== '') request.color = d.color;
  return request;
}
