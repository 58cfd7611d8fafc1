import { describe, expect, it } from 'vitest';
import { DefaultServerChooser, redactUri, type Authenticator } from '../../src/ha/serverChooser.js';

const tokenAuth: Authenticator = {
  authenticate: (user) => `token-for-${user}`,
  retry: (_user, challenge) => `answer-${challenge}`,
  completed: () => undefined,
};

describe('DefaultServerChooser (spec §12.2)', () => {
  it('starts at the first URI, advances on failure and wraps around', () => {
    const chooser = new DefaultServerChooser(['tcp://a:1/amps/json', 'tcp://b:1/amps/json']).add(
      'tcp://c:1/amps/json',
    );
    expect(chooser.size).toBe(3);
    const seen: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++) {
      seen.push(chooser.getCurrentURI());
      chooser.reportFailure(new Error(`down ${i}`), {});
    }
    expect(seen).toEqual([
      'tcp://a:1/amps/json',
      'tcp://b:1/amps/json',
      'tcp://c:1/amps/json',
      'tcp://a:1/amps/json',
    ]);
    expect(chooser.getCurrentURI()).toBe('tcp://b:1/amps/json');
    chooser.reportSuccess({});
    expect(chooser.getCurrentURI()).toBe('tcp://b:1/amps/json');
  });

  it('keeps every failed attempt and reports each server’s latest error', () => {
    const chooser = new DefaultServerChooser(['tcp://u:pw@a:1/amps/json', 'tcp://b:1/amps/json']);
    expect(chooser.getError()).toBe('');
    chooser.reportFailure(new Error('connection refused'), { uri: 'a' });
    chooser.reportFailure(new Error('logon timed out'), { uri: 'b' });
    chooser.reportFailure(new Error('auth failure'), { uri: 'a' });
    expect(chooser.getFailures().map((f) => f.error.message)).toEqual([
      'connection refused',
      'logon timed out',
      'auth failure',
    ]);
    expect(chooser.getError()).toBe(
      'tcp://u:***@a:1/amps/json: auth failure; tcp://b:1/amps/json: logon timed out',
    );
    chooser.reportSuccess({});
    expect(chooser.getFailures()).toEqual([]);
    expect(chooser.getError()).toBe('');
  });

  it('does not move on when the application disconnected itself', () => {
    const chooser = new DefaultServerChooser(['tcp://a:1/x', 'tcp://b:1/x']);
    chooser.reportFailure(new Error('disconnected'), { userInitiated: 'true' });
    chooser.reportFailure(Object.assign(new Error('closed'), { userInitiated: true }), {});
    expect(chooser.getCurrentURI()).toBe('tcp://a:1/x');
    expect(chooser.getFailures()).toEqual([]);
  });

  it('gives each server its own authenticator, or one passing the password through', async () => {
    const chooser = new DefaultServerChooser().add('tcp://a:1/x', tokenAuth).add('tcp://b:1/x');
    expect(await chooser.getCurrentAuthenticator().authenticate('alice', 'pw')).toBe('token-for-alice');
    chooser.next();
    const plain = chooser.getCurrentAuthenticator();
    expect(await plain.authenticate('alice', 'pw')).toBe('pw');
    expect(await plain.retry('alice', 'challenge')).toBe('challenge');
  });

  it('handles an empty list and removal', () => {
    const chooser = new DefaultServerChooser();
    expect(chooser.getCurrentURI()).toBeUndefined();
    chooser.reportFailure(new Error('no servers'), {});
    expect(chooser.getCurrentURI()).toBeUndefined();
    expect(() => chooser.add('  ')).toThrow(/must not be empty/);
    chooser.addAll(['tcp://a:1/x', 'tcp://b:1/x', 'tcp://c:1/x']);
    chooser.next();
    chooser.remove('tcp://a:1/x');
    expect(chooser.getCurrentURI()).toBe('tcp://b:1/x');
    chooser.remove('tcp://b:1/x');
    expect(chooser.getCurrentURI()).toBe('tcp://c:1/x');
    chooser.remove('tcp://c:1/x');
    expect(chooser.getCurrentURI()).toBeUndefined();
  });

  it('masks passwords in URIs', () => {
    expect(redactUri('tcps://me:s3cr%40t@host:9/amps/json')).toBe('tcps://me:***@host:9/amps/json');
    expect(redactUri('tcp://me@host:9/amps/json')).toBe('tcp://me@host:9/amps/json');
  });
});
