/**
 * The step budget of the backtracking matcher (see `backtrack.ts` for why there is one): a
 * fixed allowance plus a little per character of the subject.
 */
import { BadFilterError } from '../errors.js';

/** Matcher steps every evaluation may take, whatever the subject's length. */
export const STEP_BUDGET = 100_000;
/** Further steps allowed per character of the subject. */
export const STEPS_PER_CHARACTER = 100;

/** The step budget of one evaluation on a subject of `length` code units. */
export function stepBudget(length: number): number {
  return STEP_BUDGET + STEPS_PER_CHARACTER * length;
}

/** A regex evaluation stopped at its step budget: the filter fails with this error. */
export class RegexBudgetError extends BadFilterError {
  override name = 'RegexBudgetError';
  constructor(pattern: string, subjectLength: number, why: string) {
    super(
      `regular expression '${pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern}' ${why} on a ` +
        `${subjectLength}-character value (back-references and lookaround run with a budget of ` +
        `${STEP_BUDGET} steps plus ${STEPS_PER_CHARACTER} per character)`,
      { code: 'bad filter' },
    );
  }
}

/** Thrown inside the matcher when a budget runs out; `regex.ts` turns it into a RegexBudgetError. */
export class BudgetExceeded extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}
