/**
 * The SOW query form: its fields as text, checked before anything is sent, and turned into
 * the spec main places. Each problem names its field.
 */
import { checkFilter } from '../../../client/src/expression/index.js';
import type { SowMode, SowQuerySpec } from '../../../common/src/dto/sow.js';
import { AS_OF_KINDS, asOfBookmark, CURRENT_STATE } from './sowAsOf.js';
import type { AsOfChoice } from './sowAsOf.js';

/** The form as the user typed it (with its as-of choice). */
export interface SowForm extends AsOfChoice {
  topic: string;
  filter: string;
  orderBy: string;
  topN: string;
  skipN: string;
  batchSize: string;
  select: string;
  mode: SowMode;
  oof: boolean;
  noEmpties: boolean;
  conflation: string;
  /** Aggregation: `grouping` list (without brackets); empty = none. */
  grouping: string;
  /** Aggregation: `projection` list (without brackets). */
  projection: string;
}

/** A fresh form. */
export const emptyForm = (topic = ''): SowForm => ({
  topic,
  filter: '',
  orderBy: '',
  topN: '',
  skipN: '',
  batchSize: '',
  select: '',
  mode: 'live',
  oof: true,
  noEmpties: false,
  conflation: '',
  grouping: '',
  projection: '',
  ...CURRENT_STATE,
});

/** A problem with one field, with where in the text for the filter. */
export interface FieldProblem {
  message: string;
  position?: number;
  length?: number;
}

/** Problems by field name. */
export type FormProblems = Partial<Record<keyof SowForm, FieldProblem>>;

const count = (text: string, max: number, label: string): FieldProblem | undefined => {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^\d+$/.test(t)) return { message: `${label} must be a whole number` };
  if (Number(t) > max) return { message: `${label} must be at most ${max}` };
  return undefined;
};

/** Problems of a form (empty when it can be sent). */
export function checkForm(form: SowForm): FormProblems {
  const out: FormProblems = {};
  if (form.topic.trim() === '') out.topic = { message: 'Enter a topic' };
  if (form.filter.trim() !== '') {
    const e = checkFilter(form.filter);
    if (e !== undefined) out.filter = { message: e.message, position: e.position, length: e.length };
  }
  const topN = count(form.topN, 100_000_000, 'Top N');
  if (topN) out.topN = topN;
  const skipN = count(form.skipN, 100_000_000, 'Skip N');
  if (skipN) out.skipN = skipN;
  const batch = count(form.batchSize, 10_000, 'Batch size');
  if (batch) out.batchSize = batch;
  else if (form.batchSize.trim() === '0') out.batchSize = { message: 'Batch size must be at least 1' };
  const bad = form.select
    .split(',')
    .map((f) => f.trim())
    .find((f) => f !== '' && !/^\/[^\s,[\]]+$/.test(f));
  if (bad !== undefined)
    out.select = { message: `"${bad}" is not a field path such as /id or /customer/name` };
  if (form.conflation.trim() !== '' && !/^\d+(ms|s|m)?$/.test(form.conflation.trim())) {
    out.conflation = { message: 'Conflation is an interval such as 250ms or 1s' };
  }
  if ((form.grouping.trim() === '') !== (form.projection.trim() === '')) {
    out[form.grouping.trim() === '' ? 'grouping' : 'projection'] = {
      message: 'Aggregation needs both the fields to group by and the projection',
    };
  }
  const asOf = asOfBookmark(form);
  if ('problem' in asOf) out[form.asOf === 'time' ? 'asOfTime' : 'asOfBookmark'] = { message: asOf.problem };
  if (form.orderBy.trim() !== '') {
    const term = form.orderBy
      .split(',')
      .map((t) => t.trim())
      .find((t) => !/^\/[^\s,]+(\s+(ASC|DESC))?$/i.test(t));
    if (term !== undefined) out.orderBy = { message: `"${term}" is not an order term such as /qty DESC` };
  }
  return out;
}

/** The spec for main (call only when {@link checkForm} found nothing). */
export function toSpec(form: SowForm, connectionId: string): SowQuerySpec {
  const spec: SowQuerySpec = { connectionId, topic: form.topic.trim(), mode: form.mode };
  const num = (t: string): number | undefined => (t.trim() === '' ? undefined : Number(t.trim()));
  if (form.filter.trim() !== '') spec.filter = form.filter.trim();
  if (form.orderBy.trim() !== '') spec.orderBy = form.orderBy.trim();
  const topN = num(form.topN);
  if (topN !== undefined) spec.topN = topN;
  const skipN = num(form.skipN);
  if (skipN !== undefined) spec.skipN = skipN;
  const batchSize = num(form.batchSize);
  if (batchSize !== undefined) spec.batchSize = batchSize;
  if (form.select.trim() !== '') spec.select = form.select.trim();
  if (form.mode !== 'query') {
    spec.oof = form.oof;
    if (form.conflation.trim() !== '') spec.conflation = form.conflation.trim();
  }
  if (form.mode === 'live_delta' && form.noEmpties) spec.noEmpties = true;
  if (form.grouping.trim() !== '' && form.projection.trim() !== '') {
    spec.grouping = form.grouping.trim();
    spec.projection = form.projection.trim();
  }
  const asOf = asOfBookmark(form);
  if ('bookmark' in asOf && asOf.bookmark !== undefined) spec.bookmark = asOf.bookmark;
  return spec;
}

/** Restores a form from a tab's saved settings (unknown or wrong-typed members ignored). */
export function formFromSettings(settings: Record<string, unknown>): SowForm {
  const form = emptyForm();
  const saved = settings['form'];
  const src: Record<string, unknown> =
    typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  if (typeof settings['topic'] === 'string') form.topic = settings['topic'];
  for (const key of Object.keys(form) as (keyof SowForm)[]) {
    const v = src[key];
    if (typeof v === typeof form[key]) (form as unknown as Record<string, unknown>)[key] = v;
  }
  if (!['query', 'live', 'live_delta'].includes(form.mode)) form.mode = 'live';
  if (!(AS_OF_KINDS as readonly string[]).includes(form.asOf)) form.asOf = 'current';
  if (form.asOfZone !== 'local' && form.asOfZone !== 'utc') form.asOfZone = 'local';
  return form;
}
