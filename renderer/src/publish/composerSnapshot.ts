/**
 * What the publish composer shows (its snapshot, the answer to each send, where it sends) and
 * the form kept in the tab's settings: written out, and read back with defaults for what is
 * missing or wrong.
 */
import { PUBLISH_ACKS } from '../../../common/src/dto/publish.js';
import type {
  PublishAck,
  PublishCommand,
  PublishHistoryEntry,
  PublishTemplate,
} from '../../../common/src/dto/publish.js';
import type { TopicInfo } from '../../../common/src/dto/topics.js';
import type { JsonObject } from '../../../common/src/dto/workspace.js';
import type { ComposerKind } from './payloadCheck.js';

/** The answer to one send. */
export interface SendOutcome {
  id: number;
  at: number;
  topic: string;
  command: PublishCommand;
  /** sent (no ack asked), accepted / failed (the server's ack), stored (publish store), error (not sent). */
  status: 'sent' | 'accepted' | 'failed' | 'stored' | 'error';
  reason?: string;
  server?: string;
  sequence?: string;
}

/** Where the composer sends. */
export interface Target {
  name: string;
  server: string;
  production: boolean;
  messageType: string;
}

/** What the composer shows. */
export interface ComposerSnapshot {
  topic: string;
  command: PublishCommand;
  ack: PublishAck;
  expiration: string;
  correlationId: string;
  sowKey: string;
  payload: string;
  templated: boolean;
  /** Key fields typed by the user (`/id, /region`), for topics whose keys discovery does not give. */
  keyFields: string;
  kind: ComposerKind;
  target: Target | undefined;
  topics: TopicInfo[];
  topicsNote: string | undefined;
  /** Why the payload (or the template) cannot be sent; offset into the payload when known. */
  payloadProblem: { message: string; offset?: number } | undefined;
  optionProblem: string | undefined;
  /** The next message the template gives (templated only). */
  preview: string | undefined;
  /** `{{seq}}` of the next single send. */
  seq: number;
  sending: boolean;
  /** Latest first. */
  outcomes: SendOutcome[];
  templates: PublishTemplate[];
  history: PublishHistoryEntry[];
  libraryProblem: string | undefined;
}

/** The form as saved in the tab's settings. */
export type ComposerSettings = Pick<
  ComposerSnapshot,
  | 'topic'
  | 'command'
  | 'ack'
  | 'expiration'
  | 'correlationId'
  | 'sowKey'
  | 'payload'
  | 'templated'
  | 'keyFields'
>;

/** The form read back from the tab's settings; `payload` when the settings hold none. */
export function settingsFrom(settings: JsonObject, payload: string): ComposerSettings {
  const s = settings as Partial<Record<keyof ComposerSettings, unknown>>;
  const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
  return {
    topic: str(s.topic, ''),
    command: s.command === 'delta_publish' ? 'delta_publish' : 'publish',
    ack: PUBLISH_ACKS.includes(s.ack as PublishAck) ? (s.ack as PublishAck) : 'processed',
    expiration: str(s.expiration, ''),
    correlationId: str(s.correlationId, ''),
    sowKey: str(s.sowKey, ''),
    payload: str(s.payload, payload),
    templated: s.templated === true,
    keyFields: str(s.keyFields, ''),
  };
}

/** The form to save in the tab's settings. */
export function settingsOf(s: ComposerSettings): ComposerSettings & JsonObject {
  return {
    topic: s.topic,
    command: s.command,
    ack: s.ack,
    expiration: s.expiration,
    correlationId: s.correlationId,
    sowKey: s.sowKey,
    payload: s.payload,
    templated: s.templated,
    keyFields: s.keyFields,
  };
}
