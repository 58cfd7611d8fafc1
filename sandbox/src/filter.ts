/**
 * The one seam between the sandbox and the AMPS expression language of `client/src/expression`
 * (spec §14). Everything else in the sandbox filters and matches topics through this module.
 */
import { compileFilter, isRegexTopic, matchTopic } from '../../client/src/expression/index.js';
import type { OptionMap } from './options.js';

/** A compiled content filter: true when the parsed message matches. */
export type CompiledFilter = (json: unknown) => boolean;

/** Thrown by {@link compileContentFilter} for an invalid filter; `reason` is the AMPS reason text. */
export class FilterCompileError extends Error {
  override readonly name = 'FilterCompileError';
  readonly reason = 'bad filter';
}

/**
 * Compiles a filter once (per subscription or query). A message the filter cannot be evaluated
 * on (e.g. a back-reference pattern past its step budget) does not match; `onError` hears of
 * the first such error of this filter, so it can be logged once.
 * @throws FilterCompileError naming the problem and its position
 */
export function compileContentFilter(text: string, onError?: (error: Error) => void): CompiledFilter {
  try {
    const fn = compileFilter(text);
    let reported = false;
    return (json: unknown): boolean => {
      try {
        return fn(json) === true;
      } catch (e) {
        if (!reported && onError !== undefined) {
          reported = true;
          onError(e instanceof Error ? e : new Error(String(e)));
        }
        return false;
      }
    };
  } catch (e) {
    throw new FilterCompileError(e instanceof Error ? e.message : String(e));
  }
}

/** Whether a subscription topic is a regular expression (spec §14.8). */
export function topicIsRegex(pattern: string): boolean {
  return isRegexTopic(pattern);
}

/** Whether a (possibly regex) subscription topic matches a concrete topic name. */
export function topicMatches(pattern: string, topic: string): boolean {
  return matchTopic(pattern, topic);
}

/** How a command names its topics: as a regular expression or as one topic. */
export type TopicPattern =
  { ok: true; regex: boolean } | { ok: false; reason: 'bad regex topic'; detail: string };

/**
 * Reads a command's topic (spec §14.8): a regular expression when it has regex characters and
 * the options do not say `non_regex_topic`; a regex that does not compile is `bad regex topic`.
 */
export function readTopicPattern(topic: string, options: OptionMap): TopicPattern {
  const regex = !options.has('non_regex_topic') && topicIsRegex(topic);
  if (regex) {
    try {
      topicMatches(topic, '');
    } catch (e) {
      return { ok: false, reason: 'bad regex topic', detail: (e as Error).message };
    }
  }
  return { ok: true, regex };
}
