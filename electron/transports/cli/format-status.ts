/** Human output of `status`, `check` and `current`. */
import type { DatabaseStatus } from '../../commands/database-status.ts';
import type { DatabaseInfo } from '../../commands/database-info.ts';
import { resolveCommand } from '../../../shared/model/resolve-report.ts';
import { describe } from './format-graph.ts';
import { paint, type Terminal } from './terminal.ts';

/** `sqlite:./demo.db (local, env local)`. */
export function formatDatabase(term: Terminal, db: DatabaseInfo): string {
  const tagColour = db.tag === 'production' ? 'red' : db.tag === 'staging' ? 'yellow' : 'green';
  const env = db.envName !== null ? `, env ${db.envName}` : '';
  const missing = db.exists ? '' : ', not created yet';
  return `${db.url} (${paint(term, tagColour, db.tag)}${env}${missing})`;
}

/** The full `status` report. */
export function formatStatus(term: Terminal, s: DatabaseStatus): string {
  const lines: string[] = [];
  lines.push(`Database: ${formatDatabase(term, s.database)}`);
  lines.push(`Current:  ${s.current.length > 0 ? s.current.join(', ') : 'base (nothing applied)'}`);
  lines.push(`Heads:    ${s.heads.join(', ') || '(no revisions)'}`);
  lines.push(`Applied:  ${s.applied.length} of ${s.applied.length + s.pending.length} revisions`);
  if (s.pending.length > 0) {
    lines.push('', paint(term, 'yellow', `Pending (${s.pending.length}):`));
    for (const node of s.pending) lines.push(`  ${describe(term, node)}`);
  }
  if (s.modified.length > 0) {
    lines.push('', paint(term, 'red', `Modified after being applied (${s.modified.length}):`));
    for (const m of s.modified) {
      lines.push(
        `  ${m.revision} ${m.file}`,
        `    applied checksum ${m.appliedChecksum.slice(0, 12)}…, file now ${m.currentChecksum.slice(0, 12)}…`,
      );
      lines.push(...m.diff.split('\n').map((l) => `    ${colourDiff(term, l)}`));
    }
  }
  if (s.missing.length > 0) {
    lines.push(
      '',
      paint(term, 'red', `Applied but missing from the migrations folder (${s.missing.length}):`),
    );
    for (const m of s.missing)
      lines.push(
        `  ${m.revision} (found in the ${m.foundIn === 'versionTable' ? 'version table' : 'journal'})`,
      );
  }
  if (s.dirty.length > 0) {
    lines.push('', paint(term, 'red', `Dirty (${s.dirty.length}) — runs are blocked until resolved:`));
    for (const d of s.dirty) {
      lines.push(
        `  ${d.revision} ${d.direction}: ${d.statementsDone} of ${d.statementsTotal} statements ran (journal id ${d.id})${d.error ? ` — ${d.error}` : ''}`,
        `    resolve with: ${resolveCommand(d.revision)}`,
      );
    }
  }
  if (s.problems.length > 0) {
    lines.push('', paint(term, 'red', `Problems in the migrations folder (${s.problems.length}):`));
    for (const p of s.problems) lines.push(`  ${p.message}`);
  }
  const warnings = s.diagnostics.filter((d) => d.severity !== 'info');
  if (warnings.length > 0) {
    lines.push('', `Warnings (${warnings.length}):`);
    for (const d of warnings)
      lines.push(`  ${d.file}${d.line !== undefined ? `:${d.line}` : ''}: ${d.message}`);
  }
  if (s.pending.length === 0 && s.modified.length === 0 && s.missing.length === 0 && s.dirty.length === 0) {
    lines.push('', paint(term, 'green', 'Up to date.'));
  }
  return lines.join('\n');
}

function colourDiff(term: Terminal, line: string): string {
  if (line.startsWith('+')) return paint(term, 'green', line);
  if (line.startsWith('-')) return paint(term, 'red', line);
  return line;
}
