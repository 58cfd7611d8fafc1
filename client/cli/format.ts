/**
 * How the CLI prints a message: the payload alone (as spark does), or one JSON object holding
 * the headers a user looks at and the data (parsed when it is JSON).
 */
import type { Message } from '../src/protocol/message.js';
import type { OutputFormat } from './args.js';

/** The JSON line printed for a message with `-format json`. */
export interface MessageLine {
  command?: string;
  topic?: string;
  sowKey?: string;
  bookmark?: string;
  timestamp?: string;
  correlationId?: string;
  subId?: string;
  reason?: string;
  data: unknown;
}

/** Formats one message as one output line (without the newline). */
export function formatMessage(message: Message, format: OutputFormat, messageType: string): string {
  if (format === 'payload') return message.text.replace(/\r?\n/g, ' ');
  const line = {} as MessageLine;
  const put = <K extends Exclude<keyof MessageLine, 'data'>>(key: K, value: string | undefined): void => {
    if (value !== undefined && value !== '') line[key] = value;
  };
  put('command', message.command);
  put('topic', message.topic);
  put('sowKey', message.sowKey);
  put('bookmark', message.bookmark);
  put('timestamp', message.timestamp);
  put('correlationId', message.correlationId);
  put('subId', message.subIds.join(',') || message.subId || message.queryId);
  if (message.command === 'oof') put('reason', message.reason);
  line.data = payloadValue(message, messageType);
  return JSON.stringify(line);
}

function payloadValue(message: Message, messageType: string): unknown {
  const text = message.text;
  if (messageType === 'json' && text !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
