import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  CHANNEL_PREFIX,
  EVENT_NAMES,
  MEMBER_KINDS,
  REQUEST_NAMES,
  memberOfChannel,
} from '../src/ipc/contract.js';
import type {
  EventName,
  ExplorerApi,
  KindsMatchNames,
  MemberName,
  RequestName,
  RequestPayload,
} from '../src/ipc/contract.js';
import { REQUEST_SCHEMAS } from '../src/ipc/schemas.js';

// ---- type-level tests: checked by `tsc -b common/test` ----
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
export type TypeTests = [
  Expect<Equal<keyof typeof MEMBER_KINDS, keyof ExplorerApi>>,
  Expect<Equal<keyof typeof CHANNELS, keyof ExplorerApi>>,
  Expect<Equal<keyof typeof REQUEST_SCHEMAS, RequestName>>,
  Expect<KindsMatchNames>,
  Expect<Equal<(typeof CHANNELS)['subscribe'], 'amps:subscribe'>>,
  Expect<Equal<RequestPayload<'getAppInfo'>, undefined>>,
  Expect<
    Equal<
      EventName,
      | 'onConnectionStatus'
      | 'onSubscriptionBatch'
      | 'onSubscriptionEnded'
      | 'onMessageExportProgress'
      | 'onRecordingProgress'
      | 'onPublishProgress'
      | 'onSowBatch'
      | 'onSowEnded'
      | 'onSowPage'
      | 'onSowExportProgress'
      | 'onSandboxStatus'
    >
  >,
];

// A kind table that forgets a member, or names one the contract lacks, does not compile.
const _missing = {
  getAppInfo: 'request',
  // @ts-expect-error every other member is missing
} satisfies { [K in MemberName]: K extends EventName ? 'event' : 'request' };
const _wrongKind = {
  ...MEMBER_KINDS,
  // @ts-expect-error getAppInfo is a request, not an event stream
  getAppInfo: 'event',
} satisfies { [K in MemberName]: K extends EventName ? 'event' : 'request' };
void _wrongKind;
const _extra = {
  ...MEMBER_KINDS,
  // @ts-expect-error a member the contract does not have
  notInTheContract: 'request',
} satisfies { [K in MemberName]: K extends EventName ? 'event' : 'request' };
void _missing;
void _extra;

describe('contract channels', () => {
  it('gives every member exactly one channel, derived from its name', () => {
    const names = Object.keys(MEMBER_KINDS) as MemberName[];
    for (const name of names) expect(CHANNELS[name]).toBe(`${CHANNEL_PREFIX}${name}`);
    expect(Object.keys(CHANNELS).sort()).toEqual([...names].sort());
    expect(new Set(Object.values(CHANNELS)).size).toBe(names.length);
  });

  it('splits members into requests and onX event streams', () => {
    expect([...REQUEST_NAMES, ...EVENT_NAMES].sort()).toEqual(Object.keys(MEMBER_KINDS).sort());
    for (const name of EVENT_NAMES) expect(name).toMatch(/^on[A-Z]/);
    for (const name of REQUEST_NAMES) expect(name).not.toMatch(/^on[A-Z]/);
  });

  it('has a runtime schema for every request and none for events', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...REQUEST_NAMES].sort());
    for (const name of EVENT_NAMES) expect(Object.hasOwn(REQUEST_SCHEMAS, name)).toBe(false);
  });

  it('maps channels back to members and rejects anything else', () => {
    expect(memberOfChannel('amps:publish')).toBe('publish');
    expect(memberOfChannel('amps:onSubscriptionBatch')).toBe('onSubscriptionBatch');
    expect(memberOfChannel('amps:toString')).toBeUndefined();
    expect(memberOfChannel('amps:__proto__')).toBeUndefined();
    expect(memberOfChannel('publish')).toBeUndefined();
  });
});
