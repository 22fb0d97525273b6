/** The outcome of `stratum rehearse`, for stdout. */
import type { RehearsalResult } from '../../commands/rehearse.ts';
import { formatRunSummary } from './format-run.ts';
import type { Terminal } from './terminal.ts';

/** Where the rehearsal ran, how it went, and that the original did not change. */
export function formatRehearsal(term: Terminal, result: RehearsalResult, where: string): string {
  const start =
    result.mode === 'inTransaction'
      ? `${result.scratch} inside a transaction; it is rolled back`
      : result.replayed > 0
        ? `a scratch database (${result.scratch}), brought to ${result.from.join(', ')} by replaying ${result.replayed} revision(s); the scratch is dropped`
        : `a scratch copy (${result.scratch}); the scratch is dropped`;
  const slowest = [...result.statements]
    .filter((s) => s.durationMs !== null)
    .sort((a, b) => b.durationMs! - a.durationMs!)
    .slice(0, 3)
    .map((s) => `${s.file}:${s.line} ${s.durationMs} ms`);
  return [
    `Rehearsed on ${start}.`,
    ...(slowest.length === 0 ? [] : [`Slowest statements: ${slowest.join(', ')}`]),
    formatRunSummary(
      term,
      result.report,
      'rehearse',
      result.mode === 'inTransaction' ? 'it' : 'the scratch',
    ).replace(/; the scratch is now at .*$/, '.'),
    `${where} was not changed.`,
  ].join('\n');
}
