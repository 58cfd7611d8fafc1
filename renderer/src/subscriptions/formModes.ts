/** The modes the subscription form offers, and their names as the form and its summary show them. */
import type { SubscriptionMode } from '../../../common/src/dto/subscriptions.js';

/** Modes the form offers. */
export const FORM_MODES = [
  'subscribe',
  'sow_and_subscribe',
  'delta_subscribe',
  'bookmark',
] as const satisfies readonly SubscriptionMode[];
/** One mode the form offers. */
export type FormMode = (typeof FORM_MODES)[number];
/** Each mode as the form and its folded summary name it. */
export const FORM_MODE_LABELS: Readonly<Record<FormMode, string>> = {
  subscribe: 'subscribe',
  sow_and_subscribe: 'sow_and_subscribe',
  delta_subscribe: 'delta_subscribe',
  bookmark: 'bookmark replay',
};
