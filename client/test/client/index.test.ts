import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('public API barrel', () => {
  it('exports the client vocabulary and the other modules of client/', () => {
    expect(typeof api.Client).toBe('function');
    expect(api.Bookmarks).toEqual({ EPOCH: '0', NOW: '0|1|', MOST_RECENT: 'recent' });
    expect(api.Client.Bookmarks).toBe(api.Bookmarks);
    expect(new api.Command('sow').command).toBe('sow');
    expect(new api.MessageOptions().oof().toString()).toBe('oof');
    expect(api.errorFromAckReason('bad filter')).toBeInstanceOf(api.BadFilterError);
    expect(api.parseUri('tcp://127.0.0.1:9007/amps/json').messageType).toBe('json');
    expect(typeof api.connectTransport).toBe('function');
    expect(typeof api.MemoryPublishStore).toBe('function');
    expect(typeof api.compileFilter).toBe('function');
    expect(typeof api.decodePayload).toBe('function');
    expect(typeof api.DefaultServerChooser).toBe('function');
  });
});
