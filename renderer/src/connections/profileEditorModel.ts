/**
 * The profile editor's logic without the DOM: the draft's validation with errors that name
 * the field, the server list (add, remove, reorder), the TLS files picked, the "turn
 * verification off" confirmation, and the save (the draft itself is in profileDraft.ts).
 */
import type { PemUpload, Profile } from '../../../common/src/dto/profiles.js';
import { MAX_PEM_BYTES } from '../../../common/src/dto/profiles.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import {
  PROFILE_LIMITS,
  absolutePathSchema,
  adminUrlSchema,
  pemProblem,
} from '../../../common/src/ipc/profileSchemas.js';
import { Model, messageOf } from '../lib/model.js';
import { diagnoseConnectionString } from './connectionStringLanguage.js';
import { newDraft, draftOf, saveRequestOf, serverDraft } from './profileDraft.js';
import type { FileSlot, ProfileDraft, ServerDraft, TlsFileField } from './profileDraft.js';

export { newDraft, draftOf, saveRequestOf } from './profileDraft.js';
export type { FileSlot, ProfileDraft, ServerDraft, StoreDraft, TlsFileField } from './profileDraft.js';

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
    this.#setServers([...this.state.draft.servers, serverDraft('')]);
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
