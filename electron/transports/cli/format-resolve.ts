/** `stratum resolve`: its flags, human output (statements that ran / did not run, outcome) and `--json`. */
import { EXIT_CODES } from '../../../shared/contract/error-codes.ts';
import {
  resolveCommand,
  type ResolveAction,
  type ResolveReport,
  type ResolveStatement,
} from '../../../shared/model/resolve-report.ts';
import type { ResolveResult } from '../../commands/resolve-dirty.ts';
import { printJson, usageError, type CliContext, type GlobalFlags } from './cli-context.ts';
import { formatDatabase } from './format-status.ts';
import { paint, type Terminal } from './terminal.ts';

const FLAGS: Record<ResolveAction, string> = {
  resume: '--resume',
  markApplied: '--mark-applied',
  markRolledBack: '--mark-rolled-back',
};

const ARROWS = { up: '↑', down: '↓', stamp: '=' } as const;

/** The one action chosen by `--resume | --mark-applied | --mark-rolled-back`; a usage error otherwise. */
export function resolveActionFrom(flags: Record<string, unknown>): ResolveAction {
  const chosen = (Object.keys(FLAGS) as ResolveAction[]).filter((action) => flags[action] === true);
  if (chosen.length === 1) return chosen[0]!;
  const all = Object.values(FLAGS).join(', ');
  throw usageError(
    chosen.length === 0
      ? `resolve needs one of ${all}.`
      : `resolve takes only one of ${all} (got ${chosen.map((a) => FLAGS[a]).join(' and ')}).`,
    'action',
  );
}

/** `--lock-timeout` in milliseconds; a usage error when it is not a number of seconds. */
export function lockTimeoutFrom(flags: Record<string, unknown>): number {
  const seconds = Number(flags.lockTimeout);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw usageError(
      `--lock-timeout must be a number of seconds (got ${String(flags.lockTimeout)}).`,
      '--lock-timeout',
    );
  }
  return seconds * 1000;
}

/** Prints a resolve result (human or `--json`) and sets exit 1 when a resume failed again. */
export function reportResolve(ctx: CliContext, flags: GlobalFlags, result: ResolveResult): void {
  const { report } = result;
  if (!report.ok) ctx.exitCode = EXIT_CODES.ERROR;
  if (flags.json) {
    printJson(ctx, { ok: report.ok, database: result.database, report });
    return;
  }
  if (report.error !== undefined)
    ctx.term.err(`${paint(ctx.term, 'red', 'error:')} ${report.error.message}\n`);
  ctx.term.out(`${formatResolve(ctx.term, result)}\n`);
}

/** The human report: the dirty step, which statements ran and which did not, and the outcome. */
export function formatResolve(term: Terminal, result: ResolveResult): string {
  const r = result.report;
  const lines: string[] = [`Database: ${formatDatabase(term, result.database)}`];
  lines.push(
    `Dirty step: ${ARROWS[r.direction]} ${r.revision}${r.message === '' ? '' : ` ${r.message}`} ` +
      `(journal id ${r.journalId}): ${r.statementsDone} of ${r.statementsTotal} statements had run`,
  );
  if (r.file === null) {
    lines.push(
      paint(
        term,
        'yellow',
        'The revision file is not in the migrations folder: its statements cannot be listed.',
      ),
    );
  } else {
    if (r.fileChanged) {
      lines.push(
        paint(
          term,
          'yellow',
          `warning: ${r.file} changed since the step ran; these lists come from the current file.`,
        ),
      );
    }
    lines.push('', `Ran (${r.ran.length}):`, ...statementLines(r.ran));
    lines.push('', `Not run (${r.notRun.length}):`, ...statementLines(r.notRun));
  }
  lines.push('', outcome(term, result));
  for (const other of r.otherDirty) {
    lines.push(
      `Still dirty: ${other.revision} (journal id ${other.journalId}): \`${resolveCommand(other.revision)}\``,
    );
  }
  return lines.join('\n');
}

function statementLines(list: readonly ResolveStatement[]): string[] {
  if (list.length === 0) return ['  (none)'];
  return list.map((s) => `  ${s.index + 1}. ${s.file}:${s.line}  ${s.firstLine}`);
}

function outcome(term: Terminal, result: ResolveResult): string {
  const r: ResolveReport = result.report;
  const where = formatDatabase(term, result.database);
  const heads = (list: readonly string[]): string => (list.length === 0 ? 'base' : list.join(', '));
  const moved = `the version table moves from ${heads(r.headsBefore)} to ${heads(r.headsAfter)}`;
  const kept = `the version table stays at ${heads(r.headsBefore)}`;
  const transition = r.headsBefore.join() === r.headsAfter.join() ? kept : moved;
  if (r.dryRun) {
    const what =
      r.action === 'resume'
        ? `would run statements ${r.statementsDone + 1}–${r.statementsTotal} of ${r.statementsTotal}, then ${transition}`
        : r.action === 'markApplied'
          ? `would mark ${r.revision} as applied: ${transition}`
          : `would mark ${r.revision} as rolled back: ${transition}`;
    return `Dry run: ${what}; journal row ${r.journalId} would become ${r.status}. Nothing was changed.`;
  }
  if (!r.ok) {
    return (
      `${paint(term, 'red', 'FAILED')}: ${r.revision} is still dirty: ${r.statementsDoneAfter} of ` +
      `${r.statementsTotal} statements have run. Fix the cause, then run \`${resolveCommand(r.revision)}\`.`
    );
  }
  const ok = paint(term, 'green', 'OK');
  const row = `journal row ${r.journalId} is ${r.status} ("${r.note}")`;
  switch (r.action) {
    case 'resume':
      return `${ok}: resumed ${r.revision} from statement ${r.statementsDone + 1}; ${row}; ${where} is now at ${heads(r.headsAfter)}.`;
    case 'markApplied':
      return `${ok}: marked ${r.revision} as applied; ${row}; ${where} is now at ${heads(r.headsAfter)}.`;
    case 'markRolledBack':
      return (
        `${ok}: marked ${r.revision} as rolled back; ${row}; ${kept}. ` +
        `The next ${r.direction === 'down' ? 'downgrade' : 'upgrade'} runs ${r.revision} again from its first statement.`
      );
  }
}
