/** What one CLI invocation shares between its commands: terminal, environment, global flags. */
import { exitCodeFor, type ErrorCode, type ExitCode } from '../../../shared/contract/error-codes.ts';
import type { CommandOptions } from '../../commands/command-options.ts';
import { toErrorPayload } from '../../commands/error-payload.ts';
import { paint, type Terminal } from './terminal.ts';

/** Global flags every command accepts. */
export interface GlobalFlags {
  readonly project?: string;
  readonly env?: string;
  readonly url?: string;
  readonly json?: boolean;
}

/** The process-level inputs of one CLI run. */
export interface CliContext {
  readonly term: Terminal;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  exitCode: ExitCode;
}

/** Turns global flags into the options every command takes. */
export function commandOptions(ctx: CliContext, flags: GlobalFlags): CommandOptions {
  return { cwd: ctx.cwd, env: ctx.env, project: flags.project, envName: flags.env, url: flags.url };
}

/** Writes a JSON document (one line) to stdout. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.term.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error (human or JSON) and sets the exit code for its code. */
export function reportError(ctx: CliContext, flags: GlobalFlags, error: unknown): void {
  const payload = toErrorPayload(error);
  // exitCodeFor maps every code it does not single out (and unknown ones) to 1.
  ctx.exitCode = exitCodeFor(payload.code as ErrorCode);
  if (flags.json) {
    printJson(ctx, { ok: false, error: payload });
    return;
  }
  const hint = payload.code === 'INTERNAL' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  ctx.term.err(`${paint(ctx.term, 'red', 'error:')} ${payload.message}${hint}\n`);
}

/** An error for a bad command-line argument: exit code 2, like commander's own usage errors. */
export function usageError(message: string, argument: string): Error {
  return Object.assign(new Error(message), { code: 'USAGE', details: { argument } });
}
