/**
 * The profile editor's logic without the DOM: a draft of every profile field as the form
 * holds it (text as typed), its validation with errors that name the field, the server list
 * (add, remove, reorder), the TLS files picked, the "turn verification off" confirmation, and
 * the save request built from the draft.
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
import { DEFAULT_HA, MAX_PEM_BYTES } from '../../../common/src/dto/profiles.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import {
  PROFILE_LIMITS,
  absolutePathSchema,
  adminUrlSchema,
  pemProblem,
} from '../../../common/src/ipc/profileSchemas.js';
import { Model, messageOf } from '../lib/model.js';
import { diagnoseConnectionString } from './connectionStringLanguage.js';

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

/** A problem with one field; `field` is the form control's id suffix, `label` its visible name. */
export interface FieldError {
  field: string;
  label: string;
  message: string;
}

/** What the editor shows. */
export interface ProfileEditorSnapshot {
  open: boolean;
  draft: ProfileDraft;
  /** Validation problems of the draft, live. */
  errors: FieldError[];
  /** Errors are shown (after the first save attempt, or once a field was left). */
  showErrors: boolean;
  /** The user asked to turn verification off: the confirmation is showing. */
  confirmingVerifyOff: boolean;
  saving: boolean;
  /** The save failed: the main process's reason. */
  saveError: string | undefined;
}

/** Bounds of what the form accepts. */
const HOUR_MS = 3_600_000;

let nextKey = 1;
const server = (text: string): ServerDraft => ({ key: nextKey++, text });
const slotOf = (file: PickedFile | undefined): FileSlot =>
  file === undefined ? { kind: 'none' } : { kind: 'kept', file };
const storeDraft = (s: StoreChoice): StoreDraft => ({ kind: s.kind, path: s.kind === 'file' ? s.path : '' });

/** A draft for a new profile (the defaults of the official clients for HA). */
export function newDraft(): ProfileDraft {
  const delay = DEFAULT_HA.delay;
  return {
    id: undefined,
    name: '',
    servers: [server('')],
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
    servers: (profile.servers.length > 0 ? profile.servers : ['']).map(server),
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

/** Reads a whole number in `[min, max]`; a message naming the rule otherwise. */
function integer(text: string, min: number, max: number): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `expected a whole number from ${min} to ${max}`;
  const n = Number(t);
  return n < min || n > max ? `expected a whole number from ${min} to ${max}` : n;
}

/** Reads a decimal number in `[min, max]`. */
function decimal(text: string, min: number, max: number): number | string {
  const t = text.trim();
  const n = t === '' ? Number.NaN : Number(t);
  return Number.isFinite(n) && n >= min && n <= max ? n : `expected a number from ${min} to ${max}`;
}

function schemaProblem(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    // ValidationError says "<path>: <problem>"; the field's label is added by the caller.
    return messageOf(error).replace(/^value: /, '');
  }
}

/** The draft's problems, each naming its field. */
export function validateDraft(d: ProfileDraft): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, label: string, message: string | undefined): void => {
    if (message !== undefined) errors.push({ field, label, message });
  };
  if (d.name.trim() === '') add('name', 'Name', 'a name is required');
  else if (d.name.length > PROFILE_LIMITS.name)
    add('name', 'Name', `at most ${PROFILE_LIMITS.name} characters`);
  if (d.servers.length === 0) add('server-1', 'Servers', 'at least one server is needed');
  if (d.servers.length > PROFILE_LIMITS.servers)
    add('servers', 'Servers', `at most ${PROFILE_LIMITS.servers} servers`);
  d.servers.forEach((s, i) => {
    const label = `Server ${i + 1}`;
    if (s.text.trim() === '') add(`server-${i + 1}`, label, 'a connection string is required');
    else add(`server-${i + 1}`, label, diagnoseConnectionString(s.text)[0]?.message);
  });
  if (d.user.length > PROFILE_LIMITS.user) add('user', 'User', `at most ${PROFILE_LIMITS.user} characters`);
  if (d.password.length > PROFILE_LIMITS.password)
    add('password', 'Password', `at most ${PROFILE_LIMITS.password} characters`);
  if (d.heartbeatSeconds.trim() !== '') {
    const hb = integer(d.heartbeatSeconds, 0, 3600);
    if (typeof hb === 'string') add('heartbeat', 'Heartbeat interval', hb);
  }
  if (d.delayKind === 'fixed') {
    const v = integer(d.fixedDelayMs, 0, HOUR_MS);
    if (typeof v === 'string') add('fixed-delay', 'Reconnect delay', v);
  } else {
    const initial = integer(d.initialMs, 1, HOUR_MS);
    const max = integer(d.maxMs, 1, HOUR_MS);
    if (typeof initial === 'string') add('initial-delay', 'Initial delay', initial);
    if (typeof max === 'string') add('max-delay', 'Maximum delay', max);
    if (typeof initial === 'number' && typeof max === 'number' && max < initial) {
      add('max-delay', 'Maximum delay', `must not be below the initial delay (${initial} ms)`);
    }
    const backoff = decimal(d.backoff, 1, 100);
    if (typeof backoff === 'string') add('backoff', 'Backoff', backoff);
    const jitter = decimal(d.jitter, 0, 100);
    if (typeof jitter === 'string') add('jitter', 'Jitter', jitter);
  }
  if (d.giveUpSeconds.trim() !== '') {
    const v = integer(d.giveUpSeconds, 1, 7 * 24 * 3600);
    if (typeof v === 'string') add('give-up', 'Give up after', v);
  }
  for (const [which, label] of [
    ['bookmark-store', 'Bookmark store file'],
    ['publish-store', 'Publish store file'],
  ] as const) {
    const store = which === 'bookmark-store' ? d.bookmarkStore : d.publishStore;
    if (store.kind === 'file') {
      add(
        which,
        label,
        store.path.trim() === ''
          ? 'a file path is required'
          : schemaProblem(() => absolutePathSchema.parse(store.path)),
      );
    }
  }
  if (d.adminUrl.trim() !== '')
    add(
      'admin-url',
      'Admin URL',
      schemaProblem(() => adminUrlSchema.parse(d.adminUrl.trim())),
    );
  return errors;
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

/** A file the user picked, as read by the component (text bounded by {@link MAX_PEM_BYTES}). */
export interface PickedPem {
  fileName: string;
  /** Size in bytes, from the File object (checked before reading). */
  size: number;
  /** The text, when it was read (absent when the file was too large to read). */
  text?: string;
}

/** Why a picked PEM file is refused, or undefined when it is usable. */
export function pickedPemProblem(file: PickedPem): string | undefined {
  if (file.size > MAX_PEM_BYTES)
    return `${file.fileName} is larger than 1 MiB (${file.size} bytes): not a PEM file`;
  if (file.text === undefined) return `${file.fileName} could not be read`;
  const problem = pemProblem(file.text);
  return problem === undefined ? undefined : `${file.fileName} ${problem}`;
}

/** The profile editor's state and actions. */
export class ProfileEditorModel extends Model<ProfileEditorSnapshot> {
  readonly #api: ExplorerApi;

  constructor(api: ExplorerApi) {
    const draft = newDraft();
    super({
      open: false,
      draft,
      errors: validateDraft(draft),
      showErrors: false,
      confirmingVerifyOff: false,
      saving: false,
      saveError: undefined,
    });
    this.#api = api;
  }

  /** Opens the editor on a saved profile, or on a new one. */
  open(profile?: Profile): void {
    const draft = profile === undefined ? newDraft() : draftOf(profile);
    this.update({
      open: true,
      draft,
      errors: validateDraft(draft),
      showErrors: false,
      confirmingVerifyOff: false,
      saving: false,
      saveError: undefined,
    });
  }

  close(): void {
    this.update({ open: false, confirmingVerifyOff: false });
  }

  /** Changes fields of the draft. */
  edit(patch: Partial<ProfileDraft>): void {
    this.#setDraft({ ...this.state.draft, ...patch });
  }

  setServer(index: number, text: string): void {
    this.#setServers(this.state.draft.servers.map((s, i) => (i === index ? { ...s, text } : s)));
  }

  addServer(): void {
    this.#setServers([...this.state.draft.servers, server('')]);
  }

  removeServer(index: number): void {
    if (this.state.draft.servers.length <= 1) return;
    this.#setServers(this.state.draft.servers.filter((_, i) => i !== index));
  }

  /** Moves server `index` one place up (-1) or down (+1) in the HA order. */
  moveServer(index: number, delta: -1 | 1): void {
    const list = [...this.state.draft.servers];
    const to = index + delta;
    const a = list[index];
    const b = list[to];
    if (a === undefined || b === undefined) return;
    list[index] = b;
    list[to] = a;
    this.#setServers(list);
  }

  /** Asks to turn verification on or off; off waits for {@link confirmVerifyOff}. */
  setVerify(on: boolean): void {
    if (on) this.update({ draft: { ...this.state.draft, tlsVerify: true }, confirmingVerifyOff: false });
    else this.update({ confirmingVerifyOff: true });
  }

  confirmVerifyOff(): void {
    this.update({ draft: { ...this.state.draft, tlsVerify: false }, confirmingVerifyOff: false });
  }

  cancelVerifyOff(): void {
    this.update({ confirmingVerifyOff: false });
  }

  /** Takes a picked PEM file; returns why it was refused (the slot is unchanged then). */
  pickTlsFile(field: TlsFileField, file: PickedPem): string | undefined {
    const problem = pickedPemProblem(file);
    if (problem !== undefined) return problem;
    const upload: PemUpload = { fileName: file.fileName, pem: file.text ?? '' };
    this.edit({ tls: { ...this.state.draft.tls, [field]: { kind: 'new', upload } } });
    return undefined;
  }

  /** Removes a TLS file (a stored one is cleared when saving). */
  clearTlsFile(field: TlsFileField): void {
    const slot = this.state.draft.tls[field];
    const next: FileSlot =
      slot.kind === 'kept'
        ? { kind: 'cleared', file: slot.file }
        : slot.kind === 'cleared'
          ? slot
          : { kind: 'none' };
    this.edit({ tls: { ...this.state.draft.tls, [field]: next } });
  }

  /** Saves when valid; resolves with the saved profile, or undefined (errors shown). */
  async save(): Promise<Profile | undefined> {
    const draft = this.state.draft;
    const errors = validateDraft(draft);
    if (errors.length > 0) {
      this.update({ errors, showErrors: true });
      return undefined;
    }
    this.update({ saving: true, saveError: undefined });
    try {
      const saved = await this.#api.saveProfile(saveRequestOf(draft));
      this.update({ saving: false, open: false });
      return saved;
    } catch (error) {
      this.update({ saving: false, saveError: messageOf(error) });
      return undefined;
    }
  }

  #setServers(servers: ServerDraft[]): void {
    this.#setDraft({ ...this.state.draft, servers });
  }

  #setDraft(draft: ProfileDraft): void {
    this.update({ draft, errors: validateDraft(draft) });
  }
}
