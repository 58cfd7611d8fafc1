/**
 * "Copy as" for a SOW view: the query as the AMPS command it places, handed to the shared
 * copy-as builder (`lib/copyAs.ts`) for the `spark` command line, TypeScript and Python.
 */
import type { SowQuerySpec } from '../../../common/src/dto/sow.js';
import * as builder from '../lib/copyAs.js';
import type { CopyAsKind, CopyCommand } from '../lib/copyAs.js';

export { COPY_AS_KINDS, COPY_AS_LABELS, shellQuote } from '../lib/copyAs.js';
export type { CopyAsKind } from '../lib/copyAs.js';

const COMMAND_OF: Record<SowQuerySpec['mode'], CopyCommand['command']> = {
  query: 'sow',
  live: 'sow_and_subscribe',
  live_delta: 'sow_and_delta_subscribe',
};

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** The options (`o`) the view's command carries, as AMPS writes them. */
export function commandOptions(spec: SowQuerySpec): string {
  const parts: string[] = [];
  const live = spec.mode !== 'query';
  if (live && spec.oof !== false) parts.push('oof');
  if (spec.mode === 'live_delta' && spec.noEmpties === true) parts.push('no_empties');
  if (live && present(spec.conflation)) parts.push(`conflation=${spec.conflation.trim()}`);
  if (spec.skipN !== undefined && spec.skipN > 0) parts.push(`skip_n=${spec.skipN}`);
  if (present(spec.select)) {
    const fields = spec.select
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    if (fields.length > 0) parts.push(`select=[-/,${fields.map((f) => `+${f}`).join(',')}]`);
  }
  if (present(spec.grouping) && present(spec.projection)) {
    parts.push(`grouping=[${spec.grouping.trim()}]`, `projection=[${spec.projection.trim()}]`);
  }
  return parts.join(',');
}

/** The AMPS command a SOW view places. */
export function sowCopyCommand(spec: SowQuerySpec): CopyCommand {
  const cmd: CopyCommand = {
    command: COMMAND_OF[spec.mode],
    topic: spec.topic,
    ackType: 'completed,stats',
    clientName: 'sow-query',
  };
  if (present(spec.filter)) cmd.filter = spec.filter;
  if (present(spec.orderBy)) cmd.orderBy = spec.orderBy;
  if (spec.topN !== undefined) cmd.topN = spec.topN;
  if (spec.batchSize !== undefined) cmd.batchSize = spec.batchSize;
  if (present(spec.bookmark)) cmd.bookmark = spec.bookmark;
  const options = commandOptions(spec);
  if (options !== '') cmd.options = options;
  return cmd;
}

/** The query as a `spark` command line. */
export const asSpark = (spec: SowQuerySpec, uri: string): string => builder.asSpark(sowCopyCommand(spec), uri);
/** The query as TypeScript with our client. */
export const asTypeScript = (spec: SowQuerySpec, uri: string): string =>
  builder.asTypeScript(sowCopyCommand(spec), uri);
/** The query as Python with the AMPS Python client. */
export const asPython = (spec: SowQuerySpec, uri: string): string => builder.asPython(sowCopyCommand(spec), uri);

/** The query in the chosen form. */
export function copyAs(kind: CopyAsKind, spec: SowQuerySpec, uri: string): string {
  return builder.copyCommandAs(kind, sowCopyCommand(spec), uri);
}
