/** One run of the `stratum` CLI: builds the program, parses argv and returns the exit code. */
import { CommanderError } from 'commander';
import { EXIT_CODES } from '../../../shared/contract/error-codes.ts';
import { buildProgram } from './cli-program.ts';
import type { CliContext } from './cli-context.ts';
import { processTerminal } from './terminal.ts';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const ctx: CliContext = {
    term: processTerminal(process.env),
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    exitCode: EXIT_CODES.OK,
  };
  // First Ctrl-C cancels the run after the current statement (rolling back its transaction);
  // a second one exits at once.
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    ctx.term.err('\nCancelling after the current statement… (Ctrl-C again to exit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    const help =
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help';
    return help ? EXIT_CODES.OK : EXIT_CODES.USAGE;
  } finally {
    process.off('SIGINT', onSigint);
  }
  return ctx.exitCode;
}
