/**
 * Regular-expression topics (spec §14.8): a subscription topic containing a metacharacter is a
 * PCRE pattern searched (unanchored) in topic names; any other topic matches only itself.
 */
import { isRegexTopic } from './pcre.js';
import type { FilterRegex } from './regex.js';
import { compilePcre } from './regex.js';
import { FilterSyntaxError } from './syntaxError.js';

export { isRegexTopic } from './pcre.js';

/** Tests a topic name against a subscription topic. */
export type TopicMatcher = (topic: string) => boolean;

/**
 * Compiles a subscription topic once into a matcher.
 * @param pattern the subscription topic (regex or literal)
 * @param options `nonRegex`: the `non_regex_topic` option, forcing a literal match
 * @throws FilterSyntaxError with a message starting `bad regex topic` when the pattern is not a
 * valid (translatable) regular expression
 */
export function compileTopicMatcher(pattern: string, options: { nonRegex?: boolean } = {}): TopicMatcher {
  if (options.nonRegex === true || !isRegexTopic(pattern)) return (topic) => topic === pattern;
  let re: FilterRegex;
  try {
    re = compilePcre(pattern);
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    throw new FilterSyntaxError(`bad regex topic: ${e.message}`, {
      position: e.position,
      length: e.length,
    });
  }
  return (topic) => re.test(topic);
}

/**
 * True when `topic` is selected by the subscription topic `pattern`: a regex search when the
 * pattern contains a metacharacter (`.*+?^$[](){}|\`), otherwise string equality.
 * Compiled patterns are cached.
 * @throws FilterSyntaxError (`bad regex topic: ...`) for an invalid pattern
 */
export function matchTopic(pattern: string, topic: string): boolean {
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    matcher = compileTopicMatcher(pattern);
    if (matchers.size >= MATCHER_LIMIT) matchers.clear();
    matchers.set(pattern, matcher);
  }
  return matcher(topic);
}

const matchers = new Map<string, TopicMatcher>();
const MATCHER_LIMIT = 1024;
