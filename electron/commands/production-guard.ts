/** DESIGN.md §5: destructive actions on a production-tagged database need an explicit confirmation. */
import type { EnvironmentTag } from '../../shared/model/dialect.ts';
import { EngineError } from '../engine/engine-error.ts';

/**
 * Throws `CONFIRMATION_REQUIRED` (exit 2) when `tag` is production, the user did not confirm
 * (`--yes`) and there is a reason to ask; `action` names the command in the message.
 */
export function requireConfirmation(
  environment: string,
  tag: EnvironmentTag,
  confirmed: boolean,
  action: string,
  reasons: readonly string[],
): void {
  if (tag !== 'production' || confirmed || reasons.length === 0) return;
  throw new EngineError(
    'CONFIRMATION_REQUIRED',
    `${environment} is tagged production and this ${action} needs confirmation: ${reasons.join('; ')}. ` +
      `Review it with --dry-run, then re-run with --yes.`,
    { environment, reasons },
  );
}
