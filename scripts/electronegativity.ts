/**
 * `npm run security`: Electronegativity (Doyensec) over all of electron/ (the issue asks for
 * electron/; the checks only fire in the shell — main, preload, worker, transports/ipc) as a cheap
 * CI gate, not a security review (reference/stack.md §9). Prints every finding, writes the SARIF report to a temp
 * file, and exits 1 on any HIGH finding or on a file it could not parse (a file it cannot read is a
 * file it did not check).
 *
 * Its CLI is broken here (it needs an old hoisted `commander`), so this calls its runner the way
 * the CLI does (dist/index.js), with `forCli` off so it returns the findings.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['electron'];

/**
 * Checks left out (by class name, as the runner wants them), each with why. Nothing else is: a
 * real finding is fixed in the code.
 * - RemoteModuleJSCheck (REMOTE_MODULE_JS_CHECK): flags every BrowserWindow that does not set
 *   `enableRemoteModule: false`; the remote module was removed in Electron 14, so the option no
 *   longer exists (reference/stack.md §9 lists it as noise).
 */
const EXCLUDED = ['RemoteModuleJSCheck'];

interface Level {
  readonly name: string;
  readonly value: number;
}
interface Issue {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly severity: Level;
  readonly confidence: Level;
  readonly manualReview: boolean;
  readonly description: string;
  readonly shortenedURL: string;
}
interface RunResult {
  readonly globalChecks: number;
  readonly atomicChecks: number;
  readonly errors: readonly {
    readonly file: string;
    readonly message: string;
    readonly tolerable: boolean;
  }[];
  readonly issues: readonly Issue[];
}
type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<RunResult>;

// The scanner lists .js/.ts/.tsx/.html files only: copy the sources and give .cts/.mts a .ts name
// (the preload is preload.cts), with package.json so it knows the Electron version.
function stage(): { readonly dir: string; readonly renamed: Map<string, string> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stratum-electronegativity-'));
  const renamed = new Map<string, string>();
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  for (const folder of SCANNED) {
    mkdirSync(path.join(dir, folder), { recursive: true });
    cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
  }
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const file = path.join(folder, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.[cm]ts$/.test(name)) {
        const staged = file.replace(/\.[cm]ts$/, '.ts');
        renameSync(file, staged);
        renamed.set(path.relative(dir, staged), path.relative(dir, file));
      }
    }
  };
  walk(dir);
  return { dir, renamed };
}

/**
 * The scan makes no network requests. Electronegativity fetches updated translations and
 * Electron's release list with `got`; offline (as these machines are) the request times out and
 * got's retry then throws from a timer ("The `onCancel` handler was attached after the promise
 * settled"), killing the process after the report. A `got` that fails at once gives the same
 * fallbacks it has built in: the bundled en-US texts, and "No connectivity?" for the release check.
 */
function loadRunnerOffline(): Runner {
  const requireHere = createRequire(import.meta.url);
  const requireFromTool = createRequire(requireHere.resolve('@doyensec/electronegativity'));
  const offline = (): Promise<never> =>
    Promise.reject(new Error('offline: the security scan does not use the network'));
  const got = Object.assign(offline, { head: offline, get: offline });
  // Both fetches (locales/i18n.js, AvailableSecurityFixesGlobalCheck.js) require the got that
  // the package resolves, so one entry in the CommonJS cache replaces it for both.
  const file = requireFromTool.resolve('got');
  requireFromTool.cache[file] = {
    id: file,
    filename: file,
    loaded: true,
    exports: got,
  } as unknown as NodeJS.Module;
  return requireHere('@doyensec/electronegativity') as Runner;
}

const { dir, renamed } = stage();
const report = path.join(os.tmpdir(), `stratum-electronegativity-${process.pid}.sarif`);
const run = loadRunnerOffline();
let result: RunResult;
try {
  result = await run(
    {
      input: dir,
      output: report,
      isSarif: true,
      customScan: [],
      excludeFromScan: EXCLUDED,
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: true,
      electronUpgrade: undefined,
      electronVersionOverride: undefined,
      parserPlugins: [],
    },
    false,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const where = (file: string): string => renamed.get(file) ?? file;
const issues = [...result.issues].sort(
  (a, b) => b.severity.value - a.severity.value || where(a.file).localeCompare(where(b.file)),
);
console.log(
  `Electronegativity: ${result.globalChecks} global + ${result.atomicChecks} atomic checks ` +
    `(excluded: ${EXCLUDED.join(', ')}) over ${SCANNED.join(', ')}.`,
);
for (const issue of issues) {
  const at =
    issue.file === 'N/A'
      ? '(global)'
      : `${where(issue.file)}:${issue.location.line}:${issue.location.column}`;
  const review = issue.manualReview ? ', review' : '';
  console.log(`\n${issue.severity.name} (${issue.confidence.name}${review}) ${issue.id} ${at}`);
  console.log(`  ${issue.description.replace(/\s+/g, ' ').trim()} ${issue.shortenedURL}`);
}
for (const error of result.errors) {
  console.log(
    `\n${error.tolerable ? 'Parser warning' : 'PARSE ERROR'} in ${where(error.file)}: ${error.message}`,
  );
}
const high = issues.filter((i) => i.severity.name === 'HIGH');
const unparsed = result.errors.filter((e) => !e.tolerable);
console.log(`\n${issues.length} finding(s), ${high.length} HIGH. SARIF report: ${report}`);
if (high.length > 0 || unparsed.length > 0) {
  console.error(
    high.length > 0
      ? 'HIGH findings: fix the code (do not exclude the check).'
      : 'Some files could not be parsed, so they were not checked.',
  );
  process.exitCode = 1;
}
