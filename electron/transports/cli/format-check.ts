/** `stratum check`: one verdict and one exit code for CI. */
import { EXIT_CODES, type ExitCode } from '../../../shared/contract/error-codes.ts';
import type { DatabaseStatus } from '../../commands/database-status.ts';
import { formatDatabase } from './format-status.ts';
import { paint, type Terminal } from './terminal.ts';

/**
 * The exit code of `check` and `status --exit-code`, most serious first: dirty (9), modified after
 * apply (5), broken folder or missing files (1), pending (3), else 0.
 */
export function checkExitCode(s: DatabaseStatus): ExitCode {
  if (s.dirty.length > 0) return EXIT_CODES.DIRTY;
  if (s.modified.length > 0) return EXIT_CODES.CHECKSUM_MISMATCH;
  if (s.problems.length > 0 || s.missing.length > 0) return EXIT_CODES.ERROR;
  if (s.pending.length > 0) return EXIT_CODES.PENDING;
  return EXIT_CODES.OK;
}

/** The human verdict of `check`. */
export function formatCheck(term: Terminal, s: DatabaseStatus): string {
  const where = formatDatabase(term, s.database);
  const findings: string[] = [];
  if (s.dirty.length > 0)
    findings.push(`${s.dirty.length} dirty revision(s): ${s.dirty.map((d) => d.revision).join(', ')}`);
  if (s.modified.length > 0)
    findings.push(
      `${s.modified.length} revision(s) modified after being applied: ${s.modified.map((m) => `${m.revision} (${m.file})`).join(', ')} — see \`stratum status\` for the diff`,
    );
  if (s.problems.length > 0)
    findings.push(
      `${s.problems.length} problem(s) in the migrations folder:\n${s.problems.map((p) => `    ${p.message}`).join('\n')}`,
    );
  if (s.missing.length > 0)
    findings.push(
      `${s.missing.length} applied revision(s) missing from the folder: ${s.missing.map((m) => m.revision).join(', ')}`,
    );
  if (s.pending.length > 0)
    findings.push(`${s.pending.length} pending revision(s): ${s.pending.map((p) => p.revision).join(', ')}`);
  if (findings.length === 0)
    return `${paint(term, 'green', 'OK')}: ${where} is up to date at ${s.current.join(', ') || 'base'}.`;
  return `${paint(term, 'red', 'FAIL')}: ${where}\n${findings.map((f) => `  - ${f}`).join('\n')}`;
}
