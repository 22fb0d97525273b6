/** Progress output during runs, and the summary of a run report. */
import { formatByteSize } from '../../../shared/format/byte-size.ts';
import type { RunEvent, RunReport } from '../../../shared/model/run-event.ts';
import { paint, type Terminal } from './terminal.ts';

const ARROWS = { up: '↑', down: '↓', stamp: '=' } as const;

/**
 * Returns an event listener that prints progress to stderr: one line per step, a live statement
 * line on a TTY, and — in a dry run — every statement that would run with its `file:line`.
 */
export function progressPrinter(term: Terminal, dryRun: boolean): (event: RunEvent) => void {
  let liveLine = false;
  let stepStarted = 0;
  let stepLabel = '';
  const clearLive = (): void => {
    if (liveLine) term.err('\r\u001b[2K');
    liveLine = false;
  };
  return (event) => {
    switch (event.kind) {
      case 'lockWaiting': {
        clearLive();
        const h = event.holder;
        const who = h
          ? ` held by ${[h.host, h.pid !== null ? `pid ${h.pid}` : null].filter(Boolean).join(' ')}${h.since ? ` since ${h.since}` : ''}`
          : '';
        term.err(`waiting for the migration lock${who} (${Math.round(event.waitedMs / 1000)} s)\n`);
        break;
      }
      case 'stepStarted':
        stepStarted = Date.now();
        stepLabel = `[${event.index + 1}/${event.total}] ${ARROWS[event.direction]} ${event.revision} ${event.message}`;
        if (dryRun) {
          const notes = [`${event.statements} statement${event.statements === 1 ? '' : 's'}`];
          if (event.direction !== 'stamp')
            notes.push(
              event.transaction === 'none' ? paint(term, 'yellow', 'no transaction') : 'one transaction',
            );
          if (event.phase === 'post-deploy')
            notes.push(paint(term, 'yellow', 'post-deploy: run after the new application code is live'));
          term.err(`${paint(term, 'bold', stepLabel)} (${notes.join(', ')})\n`);
        }
        break;
      case 'statementStarted':
        if (dryRun) {
          term.err(
            `${paint(term, 'dim', `-- ${event.location.file}:${event.location.line}`)}\n${event.sql};\n`,
          );
        } else if (term.live) {
          const elapsed = ((Date.now() - stepStarted) / 1000).toFixed(1);
          clearLive();
          term.err(`${stepLabel} · statement ${event.index + 1}/${event.total} · ${elapsed} s`);
          liveLine = true;
        }
        break;
      case 'stepFinished': {
        clearLive();
        if (dryRun) break;
        const ok = event.status === 'applied';
        const mark = ok ? paint(term, 'green', '✓') : paint(term, 'red', '✗');
        term.err(`${mark} ${stepLabel} (${event.durationMs} ms)${ok ? '' : ` ${event.status}`}\n`);
        break;
      }
      case 'runFinished':
        clearLive();
        break;
      default:
        break;
    }
  };
}

/** What went wrong in a run, for stderr: each failed step's error and what it left behind. */
export function formatRunFailures(term: Terminal, report: RunReport): string {
  const lines: string[] = [];
  for (const step of report.steps) {
    if (step.status !== 'failed' || step.error === undefined) continue;
    lines.push(paint(term, 'red', `error: ${step.error.message}`));
    if (step.rolledBack)
      lines.push(`${step.revision} was rolled back; the revisions before it stay applied.`);
    if (step.dirty) {
      lines.push(
        `${step.revision} ran ${step.statementsDone} of ${step.statementsTotal} statements without a transaction and is now dirty: ` +
          `fix the database by hand, then resolve it before the next run.`,
      );
    }
  }
  return lines.join('\n');
}

/** The one-line outcome of a run, for stdout. */
export function formatRunSummary(term: Terminal, report: RunReport, verb: string, where: string): string {
  const applied = report.steps.filter((s) => s.status === 'applied').length;
  const heads = report.headsAfter.length > 0 ? report.headsAfter.join(', ') : 'base';
  if (report.dryRun) {
    return report.steps.length === 0
      ? `Dry run: nothing to ${verb}; ${where} is at ${heads}.`
      : `Dry run: ${report.steps.length} step(s) would run on ${where}; nothing was changed.`;
  }
  if (report.steps.length === 0) return `Nothing to ${verb}: ${where} is at ${heads}.`;
  const outcome = report.ok
    ? paint(term, 'green', 'OK')
    : paint(term, 'red', report.cancelled ? 'CANCELLED' : 'FAILED');
  const total = `${applied} of ${report.steps.length} step(s) ${report.ok ? 'done' : 'done before stopping'}`;
  return `${outcome}: ${total} in ${report.durationMs} ms; ${where} is now at ${heads}.`;
}

/** A dry run's table sizes: `Tables it touches: orders 1.2 MB ~150,000 rows, loyalty (not there yet)`. */
export function formatTableSizes(
  tables: readonly { name: string; exists: boolean; rows: number | null; bytes: number | null }[],
): string {
  if (tables.length === 0) return '';
  const one = (t: (typeof tables)[number]): string => {
    if (!t.exists) return `${t.name} (not there yet)`;
    const parts = [t.name];
    if (t.bytes !== null) parts.push(formatByteSize(t.bytes));
    if (t.rows !== null) parts.push(`~${t.rows.toLocaleString('en')} rows`);
    return parts.join(' ');
  };
  return `Tables it touches: ${tables.map(one).join(', ')}`;
}
