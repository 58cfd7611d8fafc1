/**
 * HTTP preflight on the TCP listener (spec §1.9): when a connection starts with `GET ` or
 * `POST`, read the request up to `\r\n\r\n`, answer `101 Switching Protocols`, then speak
 * AMPS framing on the same socket.
 */
import type { Socket } from 'node:net';

const MAX_REQUEST_BYTES = 16 * 1024;
const RESPONSE = 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n';

/**
 * Waits for the first bytes of a connection and handles a preflight if there is one.
 * @param done receives the bytes that follow (the start of the AMPS stream), or an error
 */
export function awaitPreflight(
  socket: Socket,
  done: (err: Error | undefined, rest: Buffer, preflighted: boolean) => void,
): void {
  let buf: Buffer = Buffer.alloc(0);
  let finished = false;
  const finish = (err: Error | undefined, rest: Buffer, pre: boolean): void => {
    if (finished) return;
    finished = true;
    socket.off('data', onData);
    socket.off('close', onClose);
    done(err, rest, pre);
  };
  const onClose = (): void => finish(new Error('closed before sending anything'), Buffer.alloc(0), false);
  const onData = (chunk: Buffer): void => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    if (buf.length < 4) return;
    const head = buf.subarray(0, 4).toString('latin1');
    if (head !== 'GET ' && head !== 'POST') {
      finish(undefined, buf, false);
      return;
    }
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (buf.length > MAX_REQUEST_BYTES)
        finish(new Error(`HTTP preflight request over ${MAX_REQUEST_BYTES} bytes`), buf, true);
      return;
    }
    socket.write(RESPONSE);
    finish(undefined, buf.subarray(end + 4), true);
  };
  socket.on('data', onData);
  socket.on('close', onClose);
}
