/**
 * The spec §15.1 session played by the real Client against the fake server: the client's
 * frames must match the transcript byte for byte, and the server's lines must reach the
 * application as the transcript says.
 */
import { describe, expect, it } from 'vitest';
import { Client } from '../../src/client.js';
import { Command } from '../../src/protocol/command.js';
import { TRANSCRIPT } from '../protocol/golden.js';
import { FakeServer } from './fakeServer.js';
import { TEST_URI } from './helpers.js';

describe('§15.1 transcript', () => {
  it('is reproduced by the client', async () => {
    const server = new FakeServer();
    const serverLines = TRANSCRIPT.filter(([d]) => d === 'server').map(([, l]) => l);
    const sendLine = (i: number): void => server.sendRaw(serverLines[i] as string);
    server.on('logon', () => sendLine(0));
    server.on('sow_and_subscribe', () => {
      for (let i = 1; i <= 5; i++) sendLine(i);
    });
    const client = new Client('viewer-1', { transportFactory: server.factory });
    client.setHeartbeat(30);
    await client.connect(TEST_URI.replace('/amps/json', '/amps'));
    await client.logon();
    const cmd = new Command('sow_and_subscribe')
      .setTopic('orders')
      .setFilter('/qty > 5')
      .setOptions('oof,timestamp')
      .addAckType('completed');
    const stream = await client.execute(cmd);
    sendLine(6);
    sendLine(7);
    sendLine(8);
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      const m = await stream.read(1000);
      seen.push(`${m?.command} ${m?.sowKey ?? m?.ackType ?? ''} ${m?.text ?? ''}`.trim());
    }
    expect(seen).toEqual([
      'group_begin',
      'sow 1001 {"id":1,"qty":10}',
      'sow 1002 {"id":2,"qty":20}',
      'group_end',
      'ack completed',
      'oof 1001 {"id":1,"qty":3}',
      'publish 1003 {"id":3,"qty":7}',
    ]);
    await server.next('heartbeat', (r) => r.fields.options === 'beat');
    await client.unsubscribe(stream.subId);
    await server.next('unsubscribe');
    const clientLines = TRANSCRIPT.filter(([d]) => d === 'client').map(([, l]) => l);
    const sent = server.received.map((r) => r.header);
    // The transcript's unsubscribe carries a cid; this client, like the C-family clients, requests no ack for it.
    expect(sent).toEqual([...clientLines.slice(0, -1), '{"c":"unsubscribe","sub_id":"2"}']);
    await client.disconnect();
  });
});
