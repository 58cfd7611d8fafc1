/** Encodes a composer's JSON text as a binary message type with client/'s codecs. */
import { encodePayload } from '../../../../client/src/types/registry.js';
import type { BinaryPublishType } from '../../../../common/src/dto/publish.js';
import { ExplorerError } from '../../../../common/src/ipc/errors.js';

/** The bytes of `json` as `type`; a clear error when the text is not JSON or the type cannot hold it. */
export function encodeBinary(type: BinaryPublishType, json: string): Uint8Array {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ExplorerError({
      name: 'PayloadError',
      message: `a ${type} message is written as JSON: ${error instanceof Error ? error.message : String(error)}`,
      code: 'bad-payload',
    });
  }
  try {
    return encodePayload(type, value);
  } catch (error) {
    throw new ExplorerError({
      name: 'PayloadError',
      message: `cannot encode the message as ${type}: ${error instanceof Error ? error.message : String(error)}`,
      code: 'bad-payload',
    });
  }
}
