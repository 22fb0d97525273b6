/**
 * The `stratum` command line: one commander command per function of electron/commands/, with
 * `--json` everywhere, `--dry-run` on every command that writes, and the exit codes of DESIGN.md §6.
 */
import { Command, Option } from 'commander';
import { EXIT_CODES } from '../../../shared/contract/error-codes.ts';
import { DIALECTS } from '../../../shared/model/dialect.ts';
import { PHASES, TRANSACTION_MODES } from '../../../shared/model/revision-node.ts';
import { branches, heads, history, show } from '../../commands/graph-queries.ts';
import { init, merge, newRevision } from '../../commands/create-revision.ts';
import { current, status } from '../../commands/database-status.ts';
import { offlineSql } from '../../commands/offline-sql.ts';
import { downgrade, stamp, upgrade, type MigrationRunResult } from '../../commands/run-migrations.ts';
import { resolveDirty } from '../../commands/resolve-dirty.ts';
import { TOOL_VERSION } from '../../commands/tool-version.ts';
import {
  commandOptions,
  printJson,
  reportError,
  usageError,
  type CliContext,
  type GlobalFlags,
} from './cli-context.ts';
import { checkExitCode, formatCheck } from './format-check.ts';
import { describe, formatGraph } from './format-graph.ts';
import { formatRunFailures, formatRunSummary, formatTableSizes, progressPrinter } from './format-run.ts';
import { formatDatabase, formatStatus } from './format-status.ts';
import { lockTimeoutFrom, reportResolve, resolveActionFrom } from './format-resolve.ts';
import { EXIT_CODE_HELP, examples } from './help-text.ts';
import { serve, type ServeFlags } from './serve-command.ts';
import { rehearse } from '../../commands/rehearse.ts';
import { formatRehearsal } from './format-rehearsal.ts';

type Action = (flags: GlobalFlags & Record<string, unknown>, ...args: unknown[]) => Promise<void>;

/** Builds the program for one invocation; actions report through `ctx`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('stratum')
    .description('Database migrations as a revision graph, for SQLite, PostgreSQL and MySQL/MariaDB.')
    .version(TOOL_VERSION, '-V, --version')
    .option('--project <dir>', 'project folder (default: found by walking up from the current folder)')
    .option('--env <name>', 'environment from stratum.json')
    .option('--url <url>', 'database URL (overrides --env and DATABASE_URL)')
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    .configureOutput({ writeOut: (s) => ctx.term.out(s), writeErr: (s) => ctx.term.err(s) })
    .exitOverride();

  const command = (name: string, summary: string, example: string): Command =>
    program
      .command(name)
      .description(summary)
      .addHelpText('after', `${examples(example)}\n${EXIT_CODE_HELP}`)
      .exitOverride();
  const run =
    (action: Action) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const flags = cmd.optsWithGlobals() as GlobalFlags & Record<string, unknown>;
      try {
        await action(flags, ...args.slice(0, -2));
      } catch (error) {
        reportError(ctx, flags, error);
      }
    };

  command('init', 'create stratum.json and a migrations folder', 'stratum init --dialect postgres')
    .argument('[dir]', 'folder to initialise', '.')
    .addOption(new Option('--dialect <dialect>', 'database dialect').choices(DIALECTS).default('sqlite'))
    .option('--dry-run', 'print the file instead of writing it')
    .action(
      run(async (flags, dir) => {
        const file = await init({
          cwd: ctx.cwd,
          dir: dir as string,
          dialect: flags.dialect as never,
          dryRun: flags.dryRun === true,
        });
        if (flags.json) return printJson(ctx, { ok: true, ...file });
        ctx.term.out(
          file.dryRun
            ? file.text
            : `Created ${file.file} and a migrations folder. Next: stratum revision -m "first table"\n`,
        );
      }),
    );

  command('revision', 'create a new revision file', 'stratum revision -m "add email to users" --parent ae10')
    .requiredOption('-m, --message <message>', 'what the revision does')
    .option('--parent <rev>', 'parent revision (default: the single head; "base" for a new base)')
    .option('--label <label...>', 'branch label(s) declared by this revision')
    .option('--depends-on <rev...>', 'revisions this one depends on (Alembic depends_on)')
    .addOption(new Option('--transaction <mode>', 'transaction mode').choices(TRANSACTION_MODES))
    .addOption(new Option('--phase <phase>', 'deploy phase').choices(PHASES))
    .option('--dry-run', 'print the file instead of writing it')
    .action(
      run(async (flags) => {
        const file = await newRevision({
          ...commandOptions(ctx, flags),
          message: flags.message as string,
          parent: flags.parent as string | undefined,
          labels: flags.label as string[] | undefined,
          dependsOn: flags.dependsOn as string[] | undefined,
          transaction: flags.transaction as never,
          phase: flags.phase as never,
          dryRun: flags.dryRun === true,
        });
        if (flags.json) return printJson(ctx, { ok: true, ...file });
        ctx.term.out(file.dryRun ? file.text : `Created ${file.file} (revision ${file.revision})\n`);
      }),
    );

  command('merge', 'create a merge revision joining heads', 'stratum merge heads -m "merge loyalty"')
    .argument('[revs...]', 'revisions to merge (default: heads)')
    .requiredOption('-m, --message <message>', 'what the merge is')
    .option('--dry-run', 'print the file instead of writing it')
    .action(
      run(async (flags, revs) => {
        const file = await merge({
          ...commandOptions(ctx, flags),
          message: flags.message as string,
          revisions: revs as string[],
          dryRun: flags.dryRun === true,
        });
        if (flags.json) return printJson(ctx, { ok: true, ...file });
        ctx.term.out(file.dryRun ? file.text : `Created ${file.file} (merge revision ${file.revision})\n`);
      }),
    );

  for (const [name, fn, summary, example] of [
    [
      'upgrade',
      upgrade,
      'apply revisions up to TARGET',
      'stratum upgrade head\n  stratum upgrade loyalty@head --env staging\n  stratum upgrade +1 --dry-run',
    ],
    [
      'downgrade',
      downgrade,
      'revert revisions that depend on TARGET',
      'stratum downgrade -1\n  stratum downgrade base --yes',
    ],
    ['stamp', stamp, 'set the version table to TARGET without running SQL', 'stratum stamp head'],
  ] as const) {
    command(name, summary, example)
      .argument('<target>', 'head, heads, base, REV, PREFIX, LABEL, LABEL@head, +N, -N, REV+N, current')
      .option('--dry-run', 'print the plan and its SQL; change nothing')
      .option(
        '--lock-timeout <seconds>',
        'how long to wait for another run, or for a table lock (exit 7)',
        '60',
      )
      .option('--yes', 'confirm destructive actions on production databases')
      .action(
        run(async (flags, target) => {
          const dryRun = flags.dryRun === true;
          const lockTimeout = Number(flags.lockTimeout);
          if (!Number.isFinite(lockTimeout) || lockTimeout < 0) {
            throw usageError(
              `--lock-timeout must be a number of seconds (got ${String(flags.lockTimeout)}).`,
              '--lock-timeout',
            );
          }
          const result = await fn({
            ...commandOptions(ctx, flags),
            target: target as string,
            dryRun,
            lockTimeoutMs: lockTimeout * 1000,
            confirmed: flags.yes === true,
            signal: ctx.signal,
            onEvent: flags.json ? undefined : progressPrinter(ctx.term, dryRun),
          });
          reportRun(ctx, flags, result, name);
        }),
      );
  }

  command(
    'rehearse',
    'run a plan on a scratch copy of the database, then throw the copy away',
    'stratum rehearse head --env staging\n  stratum rehearse base --downgrade\n  stratum rehearse head --in-transaction --env staging',
  )
    .argument('<target>', 'where the rehearsed upgrade (or --downgrade) goes')
    .option('--downgrade', 'rehearse a downgrade to TARGET instead of an upgrade')
    .option(
      '--in-transaction',
      "run on the real database inside a transaction that is rolled back (PostgreSQL; meets the real data, takes the run's locks)",
    )
    .option('--yes', 'on a production database, skip the confirmation the run would need')
    .action(
      run(async (flags, target) => {
        const result = await rehearse({
          ...commandOptions(ctx, flags),
          kind: flags.downgrade === true ? 'downgrade' : 'upgrade',
          target: target as string,
          mode: flags.inTransaction === true ? 'inTransaction' : 'scratch',
          confirmed: flags.yes === true,
          signal: ctx.signal,
          onEvent: flags.json ? undefined : progressPrinter(ctx.term, false),
        });
        if (!result.report.ok) ctx.exitCode = EXIT_CODES.ERROR;
        if (flags.json) return printJson(ctx, { ok: result.report.ok, ...result });
        const failures = formatRunFailures(ctx.term, result.report);
        if (failures !== '') ctx.term.err(`${failures}\n`);
        ctx.term.out(`${formatRehearsal(ctx.term, result, formatDatabase(ctx.term, result.database))}\n`);
      }),
    );

  command(
    'resolve',
    'settle a dirty step: resume it, or mark it applied or rolled back',
    'stratum resolve b2b2 --resume\n  stratum resolve b2b2 --mark-applied --dry-run',
  )
    .argument('<rev>', 'the dirty revision: id or unique prefix')
    .option('--resume', 'run the statements that did not run, then record the revision')
    .option('--mark-applied', 'you finished it by hand: record it as applied')
    .option('--mark-rolled-back', 'you undid it by hand: record it as not applied')
    .option('--dry-run', 'print what would happen; change nothing')
    .option(
      '--lock-timeout <seconds>',
      'how long to wait for another run, or for a table lock (exit 7)',
      '60',
    )
    .option('--yes', 'confirm on production databases')
    .action(
      run(async (flags, rev) => {
        const dryRun = flags.dryRun === true;
        const result = await resolveDirty({
          ...commandOptions(ctx, flags),
          revision: rev as string,
          action: resolveActionFrom(flags),
          dryRun,
          lockTimeoutMs: lockTimeoutFrom(flags),
          confirmed: flags.yes === true,
          signal: ctx.signal,
          onEvent: flags.json ? undefined : progressPrinter(ctx.term, dryRun),
        });
        reportResolve(ctx, flags, result);
      }),
    );

  command('current', "show the database's current revisions", 'stratum current --env staging').action(
    run(async (flags) => {
      const state = await current(commandOptions(ctx, flags));
      if (flags.json) return printJson(ctx, { ok: true, ...state });
      ctx.term.out(`${formatDatabase(ctx.term, state.database)}\n`);
      if (state.current.length === 0) ctx.term.out('base (nothing applied)\n');
      for (const row of state.current)
        ctx.term.out(`${row.node ? describe(ctx.term, row.node) : `${row.revision} (file missing)`}\n`);
    }),
  );

  command('heads', 'list the heads of the revision graph', 'stratum heads --json').action(
    run(async (flags) => {
      const view = await heads(commandOptions(ctx, flags));
      if (flags.json) return printGraphJson(ctx, view);
      for (const node of view.nodes) ctx.term.out(`${describe(ctx.term, node)}\n`);
      printProblems(ctx, view.problems);
    }),
  );

  command('branches', 'list branch points and their branches', 'stratum branches').action(
    run(async (flags) => {
      const view = await branches(commandOptions(ctx, flags));
      if (flags.json) return printGraphJson(ctx, view);
      if (view.branchPoints.length === 0) ctx.term.out('No branch points.\n');
      for (const bp of view.branchPoints) {
        ctx.term.out(`${describe(ctx.term, bp.node)}\n`);
        for (const child of bp.children) ctx.term.out(`  -> ${describe(ctx.term, child)}\n`);
      }
      printProblems(ctx, view.problems);
    }),
  );

  command(
    'history',
    'show the revision graph, newest first',
    'stratum history\n  stratum history --range ae10:head',
  )
    .option('--range <A:B>', 'only revisions after A up to B')
    .action(
      run(async (flags) => {
        const view = await history({
          ...commandOptions(ctx, flags),
          range: flags.range as string | undefined,
        });
        if (flags.json) return printGraphJson(ctx, view);
        if (view.nodes.length > 0) ctx.term.out(`${formatGraph(ctx.term, view.nodes)}\n`);
        else ctx.term.out('No revisions yet. Create one with: stratum revision -m "…"\n');
        printProblems(ctx, view.problems);
      }),
    );

  command('show', 'show one revision', 'stratum show ae10')
    .argument('<rev>', 'revision id, prefix or label')
    .action(
      run(async (flags, rev) => {
        const detail = await show({ ...commandOptions(ctx, flags), revision: rev as string });
        if (flags.json) return printJson(ctx, { ok: true, ...detail });
        const n = detail.node;
        ctx.term.out(
          [
            describe(ctx.term, n),
            `file:        ${n.file}`,
            `parents:     ${n.downRevisions.join(' ') || '(base)'}`,
            `created:     ${n.created ?? '-'}`,
            `transaction: ${n.transaction}`,
            `phase:       ${n.phase}`,
            `checksum:    ${detail.checksum}`,
            '',
            detail.text,
          ].join('\n'),
        );
      }),
    );

  command(
    'status',
    'compare the database with the migrations folder',
    'stratum status\n  stratum status --exit-code --env staging',
  )
    .option('--exit-code', 'exit 3 when revisions are pending (5 modified, 9 dirty)')
    .action(
      run(async (flags) => {
        const s = await status(commandOptions(ctx, flags));
        if (flags.json) printJson(ctx, { ok: true, ...s });
        else ctx.term.out(`${formatStatus(ctx.term, s)}\n`);
        if (flags.exitCode) ctx.exitCode = checkExitCode(s);
      }),
    );

  command(
    'check',
    'fail (non-zero exit) unless the database is up to date',
    'stratum check --env production',
  ).action(
    run(async (flags) => {
      const s = await status(commandOptions(ctx, flags));
      ctx.exitCode = checkExitCode(s);
      if (flags.json)
        return printJson(ctx, { ok: ctx.exitCode === EXIT_CODES.OK, exitCode: ctx.exitCode, ...s });
      ctx.term.out(`${formatCheck(ctx.term, s)}\n`);
    }),
  );

  command(
    'sql',
    'print the SQL of a range for a DBA to run',
    'stratum sql upgrade base:head -o deploy.sql\n  stratum sql upgrade ae10:head --dialect postgres\n  stratum sql downgrade head:ae10\n  stratum sql upgrade head --from-database --env staging --per-revision -o deploy/',
  )
    .argument('<direction>', 'upgrade or downgrade')
    .argument('<range>', 'FROM:TO (upgrade: TO alone means base:TO)')
    .addOption(new Option('--dialect <dialect>', 'render for this dialect').choices(DIALECTS))
    .option('-o, --output <file>', 'write the script to a file (a folder with --per-revision)')
    .option('--no-bookkeeping', 'leave out the version table and journal statements')
    .option('--per-revision', 'one file per revision, in order (needs -o FOLDER)')
    .option('--from-database', "start from the database's current heads (--env/--url); RANGE is the target")
    .action(
      run(async (flags, direction, range) => {
        if (direction !== 'upgrade' && direction !== 'downgrade') {
          throw usageError(`sql takes "upgrade" or "downgrade" (got "${String(direction)}").`, 'direction');
        }
        if (flags.perRevision === true && flags.output === undefined) {
          throw usageError(
            '--per-revision writes one file per revision: give the folder with -o FOLDER.',
            '-o',
          );
        }
        const options = commandOptions(ctx, flags);
        const fromRows =
          flags.fromDatabase === true ? (await current(options)).current.map((c) => c.revision) : undefined;
        const result = await offlineSql({
          ...options,
          direction,
          range: range as string,
          dialect: flags.dialect as never,
          output: flags.output as string | undefined,
          bookkeeping: flags.bookkeeping !== false,
          split: flags.perRevision === true ? 'perRevision' : 'single',
          fromRows,
        });
        if (flags.json)
          return printJson(ctx, {
            ok: true,
            dialect: result.dialect,
            output: result.output,
            steps: result.plan.steps.length,
            script: result.script,
          });
        if (result.output !== null && flags.perRevision === true)
          ctx.term.err(`Wrote ${result.files.length} file(s) to ${result.output}\n`);
        else if (result.output !== null)
          ctx.term.err(`Wrote ${result.plan.steps.length} step(s) to ${result.output}\n`);
        else ctx.term.out(result.script);
      }),
    );

  command(
    'serve',
    'open the app in your browser (127.0.0.1 only, with an access token)',
    'stratum serve --port 7300',
  )
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--demo', 'serve the built-in demo project')
    .action(run(async (flags) => serve(ctx, flags as ServeFlags)));

  return program;
}

function reportRun(ctx: CliContext, flags: GlobalFlags, result: MigrationRunResult, verb: string): void {
  const { report } = result;
  // A step that could not start because another program locked the database exits like a lock timeout.
  const locked = report.steps.some((s) => s.status === 'failed' && s.error?.code === 'LOCKED');
  if (!report.ok) ctx.exitCode = locked ? EXIT_CODES.LOCK_TIMEOUT : EXIT_CODES.ERROR;
  if (flags.json) {
    const plan = result.plan && {
      kind: result.plan.kind,
      target: result.plan.target,
      fromHeads: result.plan.fromHeads,
      toHeads: result.plan.toHeads,
      steps: result.plan.steps.map((s, i) => ({
        direction: s.direction,
        revision: s.revision?.id ?? 'base',
        file: s.revision?.file ?? null,
        fromHeads: s.fromHeads,
        toHeads: s.toHeads,
        ...(report.dryRun
          ? { transaction: s.revision?.transaction ?? 'per-migration', sql: result.statements[i] ?? [] }
          : {}),
      })),
    };
    printJson(ctx, {
      ok: report.ok,
      database: result.database,
      plan,
      report,
      ...(report.dryRun ? { tables: result.tables } : {}),
    });
    return;
  }
  const failures = formatRunFailures(ctx.term, report);
  if (failures !== '') ctx.term.err(`${failures}\n`);
  const sizes = report.dryRun ? formatTableSizes(result.tables) : '';
  if (sizes !== '') ctx.term.out(`${sizes}\n`);
  ctx.term.out(`${formatRunSummary(ctx.term, report, verb, formatDatabase(ctx.term, result.database))}\n`);
}

/** `--json` output of a graph view; a broken migrations folder fails the command, as in human output. */
function printGraphJson(ctx: CliContext, view: { readonly problems: readonly unknown[] }): void {
  if (view.problems.length > 0) ctx.exitCode = EXIT_CODES.ERROR;
  printJson(ctx, { ok: view.problems.length === 0, ...view });
}

function printProblems(ctx: CliContext, problems: readonly { message: string }[]): void {
  if (problems.length === 0) return;
  ctx.term.err(
    `\n${problems.length} problem(s) in the migrations folder:\n${problems.map((p) => `  - ${p.message}`).join('\n')}\n`,
  );
  ctx.exitCode = EXIT_CODES.ERROR;
}
