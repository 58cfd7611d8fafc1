/** The error every sandbox message-type codec raises for a payload it cannot parse. */
import { PayloadError } from '../../../client/src/types/index.js';

/** A payload that does not parse as its topic's message type. */
export class MessageParseError extends Error {
  override readonly name = 'MessageParseError';

  constructor(
    /** The message type the payload was read as. */
    readonly messageType: string,
    detail: string,
  ) {
    super(`payload is not valid ${messageType}: ${detail}`);
  }
}

/** Runs a client codec, turning its PayloadError into a MessageParseError. */
export function guarded<T>(messageType: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof MessageParseError) throw e;
    if (e instanceof PayloadError) throw new MessageParseError(messageType, e.message.replace(/^\w+: /, ''));
    throw new MessageParseError(messageType, e instanceof Error ? e.message : String(e));
  }
}
