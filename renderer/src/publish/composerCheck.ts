/**
 * The publish composer's checks: the payload checked by message type (with "Template" on, the
 * template and the next message it gives), and the send options.
 */
import { TemplateError } from '../../../common/src/publish/template.js';
import type { ComposerSnapshot } from './composerSnapshot.js';
import { checkPayload } from './payloadCheck.js';
import type { ComposerKind } from './payloadCheck.js';

/** The problems the form shows, and the template's next message. */
export type ComposerCheck = Pick<ComposerSnapshot, 'payloadProblem' | 'optionProblem' | 'preview'>;

/** Checks the form for a topic of `kind`; `render` gives the template's message `seq`. */
export function checkComposer(
  s: Pick<ComposerSnapshot, 'payload' | 'templated' | 'seq' | 'expiration'>,
  kind: ComposerKind,
  render: (seq: number) => string,
): ComposerCheck {
  let payloadProblem: ComposerSnapshot['payloadProblem'];
  let preview: string | undefined;
  let text = s.payload;
  if (s.templated) {
    try {
      text = preview = render(s.seq);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      payloadProblem = { message: error.message, offset: error.offset };
    }
  }
  if (payloadProblem === undefined) {
    const checked = checkPayload(kind, text);
    if (!checked.ok) {
      payloadProblem = {
        message: s.templated ? `the next message is ${checked.message}` : checked.message,
        ...(checked.offset === undefined || s.templated ? {} : { offset: checked.offset }),
      };
    }
  }
  let optionProblem: string | undefined;
  if (s.expiration.trim() !== '' && !/^\d{1,8}$/.test(s.expiration.trim())) {
    optionProblem = `Expiration must be a whole number of seconds, not "${s.expiration}"`;
  }
  return { payloadProblem, optionProblem, preview };
}
