/**
 * The publish composer's form and single sends: topic, command, options, the payload (checked
 * by message type; with "Template" on, a template whose next message is previewed), the
 * server's answer to each send, the history of the last sends and the named templates of the
 * profile (kept by main).
 */
import type { ConnectionInfo } from '../../../common/src/dto/connections.js';
import {
  BINARY_PUBLISH_TYPES,
  MAX_HISTORY,
  MAX_LIBRARY_PAYLOAD,
} from '../../../common/src/dto/publish.js';
import type {
  BinaryPublishType,
  PublishHistoryEntry,
  PublishRequest,
  PublishTemplate,
} from '../../../common/src/dto/publish.js';
import type { TopicInfo } from '../../../common/src/dto/topics.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { compileTemplate } from '../../../common/src/publish/template.js';
import type { JsonObject } from '../../../common/src/dto/workspace.js';
import { Model, messageOf } from '../lib/model.js';
import { checkComposer } from './composerCheck.js';
import { settingsFrom, settingsOf } from './composerSnapshot.js';
import type { ComposerSettings, ComposerSnapshot, SendOutcome, Target } from './composerSnapshot.js';
import type { ConfirmGate } from './confirmGate.js';
import { checkPayload, composerKind, fieldPaths, formatJson, messageTypeOfUri } from './payloadCheck.js';
import type { ComposerKind } from './payloadCheck.js';

export type { ComposerSettings, ComposerSnapshot, SendOutcome, Target } from './composerSnapshot.js';

const MAX_OUTCOMES = 20;

const randomUuid = (): string => globalThis.crypto.randomUUID();

/** The form, the sends and the library of one publish view. */
export class PublishModel extends Model<ComposerSnapshot> {
  readonly #api: ExplorerApi;
  readonly #gate: ConfirmGate;
  #connectionId: string | undefined;
  #profileKey = 'adhoc';
  #nextId = 1;

  constructor(api: ExplorerApi, gate: ConfirmGate) {
    super({
      topic: '',
      command: 'publish',
      ack: 'processed',
      expiration: '',
      correlationId: '',
      sowKey: '',
      payload: '{\n  "id": 1\n}',
      templated: false,
      keyFields: '',
      kind: 'json',
      target: undefined,
      topics: [],
      topicsNote: undefined,
      payloadProblem: undefined,
      optionProblem: undefined,
      preview: undefined,
      seq: 1,
      sending: false,
      outcomes: [],
      templates: [],
      history: [],
      libraryProblem: undefined,
    });
    this.#api = api;
    this.#gate = gate;
    this.#check();
  }

  /** Restores the form from the tab's settings. */
  restore(settings: JsonObject): void {
    this.update(settingsFrom(settings, this.state.payload));
    this.#check();
  }

  /** The form to save in the tab's settings. */
  settings(): ComposerSettings & JsonObject {
    return settingsOf(this.state);
  }

  /** The tab's connection (undefined while it is not open) and its profile. */
  async bind(connectionId: string | undefined, profileId: string | undefined): Promise<void> {
    const changed = connectionId !== this.#connectionId;
    this.#connectionId = connectionId;
    const key = profileId ?? 'adhoc';
    if (key !== this.#profileKey || this.state.templates.length + this.state.history.length === 0) {
      this.#profileKey = key;
      await this.#loadLibrary();
    }
    if (changed) await this.refreshTarget();
  }

  async #loadLibrary(): Promise<void> {
    try {
      const lib = await this.#api.loadPublishLibrary({ profileKey: this.#profileKey });
      this.update({ templates: lib.templates, history: lib.history, libraryProblem: lib.problem });
    } catch (error) {
      this.update({ libraryProblem: `the saved templates could not be loaded: ${messageOf(error)}` });
    }
  }

  /** Reads the connection (its current server, production flag, message type) and the topics. */
  async refreshTarget(): Promise<void> {
    const id = this.#connectionId;
    if (id === undefined) {
      this.update({ target: undefined });
      this.#gate.setProduction(false);
      return;
    }
    let info: ConnectionInfo | undefined;
    try {
      info = (await this.#api.listConnections()).find((c) => c.connectionId === id);
    } catch {
      info = undefined;
    }
    if (info !== undefined) {
      const server = info.servers[info.serverIndex ?? 0] ?? info.connectionString;
      const target: Target = {
        name: info.name,
        server,
        production: info.production === true,
        messageType: messageTypeOfUri(server) ?? 'json',
      };
      this.#gate.setProduction(target.production);
      this.update({ target });
    }
    try {
      const list = await this.#api.listTopics({ connectionId: id });
      const note =
        list.source === 'seen'
          ? `Topics seen by the app so far${list.error === undefined ? '' : ` (the server's list could not be read: ${list.error})`}`
          : undefined;
      this.update({ topics: list.topics, topicsNote: note });
    } catch (error) {
      this.update({ topicsNote: `The topics could not be listed: ${messageOf(error)}` });
    }
    this.#check();
  }

  /** The topic's entry of the discovered list. */
  topicInfo(): TopicInfo | undefined {
    return this.state.topics.find((t) => t.name === this.state.topic.trim());
  }

  /** The topic's key fields: as typed, else from discovery. */
  keyFields(): string[] {
    const typed = this.state.keyFields
      .split(/[\s,]+/)
      .map((k) => k.trim())
      .filter((k) => k !== '')
      .map((k) => (k.startsWith('/') ? k : `/${k}`));
    return typed.length > 0 ? typed : (this.topicInfo()?.sow?.keyFields ?? []);
  }

  edit(patch: Partial<ComposerSettings>): void {
    this.update(patch);
    this.#check();
  }

  /** Pretty-prints a JSON payload. */
  format(): void {
    if (this.state.templated) return;
    const text = formatJson(this.state.payload);
    if (text !== undefined) this.edit({ payload: text });
  }

  /** Field paths for completion: from this payload and the sends to this topic in the history. */
  fields(): string[] {
    const topic = this.state.topic.trim();
    const seen = new Set<string>();
    for (const h of [{ payload: this.state.payload, topic }, ...this.state.history]) {
      if (h.topic !== topic) continue;
      for (const p of fieldPaths(h.payload)) seen.add(p.slice(1).split('/')[0] ?? '');
    }
    seen.delete('');
    return [...seen].sort();
  }

  #messageType(): string {
    return (this.topicInfo()?.messageType ?? this.state.target?.messageType ?? 'json').toLowerCase();
  }

  #kind(): ComposerKind {
    return composerKind(this.#messageType());
  }

  /** The binary type main must encode the JSON payload as, when the topic has one. */
  encodeAs(): BinaryPublishType | undefined {
    const type = this.#messageType();
    return (BINARY_PUBLISH_TYPES as readonly string[]).includes(type)
      ? (type as BinaryPublishType)
      : undefined;
  }

  /** Renders the template for message `seq`. */
  render(seq: number): string {
    return compileTemplate(this.state.payload).render({
      seq,
      nowMs: Date.now,
      uuid: randomUuid,
      random: Math.random,
    });
  }

  #check(): void {
    const kind = this.#kind();
    this.update({ kind, ...checkComposer(this.state, kind, (seq) => this.render(seq)) });
  }

  /** Why a send cannot go now, or undefined. */
  blocker(): string | undefined {
    const s = this.state;
    if (this.#connectionId === undefined) return 'The view has no open connection';
    if (s.topic.trim() === '') return 'Name a topic';
    return s.optionProblem ?? s.payloadProblem?.message;
  }

  /** The options every send carries (single, repeat, bulk). */
  options(): Pick<PublishRequest, 'ack' | 'deltaPublish' | 'expiration' | 'correlationId' | 'sowKey'> {
    const s = this.state;
    return {
      ack: s.ack,
      ...(s.command === 'delta_publish' ? { deltaPublish: true } : {}),
      ...(s.expiration.trim() === '' ? {} : { expiration: Number(s.expiration.trim()) }),
      ...(s.correlationId === '' ? {} : { correlationId: s.correlationId }),
      ...(s.sowKey.trim() === '' ? {} : { sowKey: s.sowKey.trim() }),
    };
  }

  get connectionId(): string | undefined {
    return this.#connectionId;
  }

  /** Sends the payload once (asking first on a production connection). */
  async send(): Promise<void> {
    const blocked = this.blocker();
    if (blocked !== undefined || this.state.sending) return;
    const s = this.state;
    const data = checkPayload(s.kind, s.templated ? (s.preview ?? '') : s.payload);
    if (!data.ok) return;
    const topic = s.topic.trim();
    await this.#gate.run(
      `${s.command === 'delta_publish' ? 'Delta publish' : 'Publish'} 1 message to ${topic}`,
      () => this.#sendNow(topic, data.data),
    );
  }

  async #sendNow(topic: string, data: string): Promise<void> {
    const connectionId = this.#connectionId;
    if (connectionId === undefined) return;
    const s = this.state;
    this.update({ sending: true });
    const base = { id: this.#nextId++, at: Date.now(), topic, command: s.command };
    let outcome: SendOutcome;
    try {
      const encodeAs = this.encodeAs();
      const result = await this.#api.publish({
        connectionId,
        topic,
        data,
        ...this.options(),
        ...(encodeAs === undefined ? {} : { encodeAs }),
      });
      const status: SendOutcome['status'] =
        result.ack === undefined
          ? result.stored === true
            ? 'stored'
            : 'sent'
          : result.ack.status === 'success'
            ? 'accepted'
            : 'failed';
      outcome = {
        ...base,
        status,
        ...(result.ack?.reason === undefined ? {} : { reason: result.ack.reason }),
        ...(result.server === undefined ? {} : { server: result.server }),
        ...(result.ack?.sequence === undefined ? {} : { sequence: result.ack.sequence }),
      };
    } catch (error) {
      outcome = { ...base, status: 'error', reason: messageOf(error) };
    }
    const entry: PublishHistoryEntry = {
      at: base.at,
      topic,
      command: s.command,
      payload: s.payload,
      ack: s.ack,
      status: outcome.status === 'error' ? 'failed' : outcome.status,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason.slice(0, 2000) }),
    };
    this.update({
      sending: false,
      seq: s.templated && outcome.status !== 'error' ? s.seq + 1 : s.seq,
      outcomes: [outcome, ...this.state.outcomes].slice(0, MAX_OUTCOMES),
      history: [entry, ...this.state.history].slice(0, MAX_HISTORY),
    });
    this.#check();
    await this.#saveLibrary();
  }

  /** Puts a history entry (or a template) back in the form to edit and send again. */
  reopen(entry: Pick<PublishHistoryEntry, 'topic' | 'command' | 'payload' | 'ack'>): void {
    this.edit({
      topic: entry.topic,
      command: entry.command,
      payload: entry.payload,
      ack: entry.ack,
      templated: /\{\{/.test(entry.payload),
    });
  }

  /** Saves the form as a named template of the profile (replacing one of the same name). */
  async saveTemplate(name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') return;
    const s = this.state;
    const template: PublishTemplate = {
      name: trimmed,
      topic: s.topic.trim(),
      command: s.command,
      payload: s.payload,
      ack: s.ack,
    };
    this.update({
      templates: [...s.templates.filter((t) => t.name !== trimmed), template].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    });
    await this.#saveLibrary();
  }

  async deleteTemplate(name: string): Promise<void> {
    this.update({ templates: this.state.templates.filter((t) => t.name !== name) });
    await this.#saveLibrary();
  }

  async #saveLibrary(): Promise<void> {
    const fits = (p: string): boolean => p.length <= MAX_LIBRARY_PAYLOAD;
    try {
      await this.#api.savePublishLibrary({
        profileKey: this.#profileKey,
        templates: this.state.templates.filter((t) => fits(t.payload)),
        history: this.state.history.filter((h) => fits(h.payload)),
      });
      if (this.state.libraryProblem?.startsWith('not saved') === true)
        this.update({ libraryProblem: undefined });
    } catch (error) {
      this.update({ libraryProblem: `not saved: ${messageOf(error)}` });
    }
  }
}
