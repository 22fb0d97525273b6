/**
 * The CLI script format (Atlas `*.txtar` in spirit): files in, a command, the expected output and
 * exit code. A script is a sequence of sections; each section starts with a header line
 * `-- <directive> --` and its body runs to the next header. Lines before the first header are a
 * description (`#` comments); so are `#` lines at the end of a body, before the next header. Sections run top to bottom, so a `file:` after a `run:` edits the
 * project between two commands.
 *
 * Setup directives (body = file content where it applies):
 *   -- file: PATH --            write PATH (relative to the temp project) with the body
 *   -- copy: SRC [DEST] --      copy SRC (relative to the repository root) into DEST (default .)
 *   -- rm: PATH --              delete a file or folder
 *   -- env: NAME=value --       set an environment variable for every later `run:`
 *   -- run: stratum ARGS --     run the CLI (args split like a shell: '…' and "…" quote;
 *                               `$WORK` expands to the temp project)
 *
 * Assertions (about the last `run:`, except the file ones):
 *   -- exit: N --               the exit code (default for a `run:` without one: 0)
 *   -- STREAM contains --       every non-blank body line occurs in STREAM
 *   -- STREAM not contains --   no non-blank body line occurs in STREAM
 *   -- STREAM equals --         STREAM equals the body exactly (after normalising)
 *   -- STREAM json --           STREAM parses as JSON and toMatchObject(body)
 *   -- exists: PATH -- / -- absent: PATH --
 * STREAM is `stdout`, `stderr` or `file PATH` (a file in the temp project, read when checked).
 *
 * Normalising, applied to every stream before a check: the temp project path becomes `$WORK`,
 * CRLF becomes LF, trailing whitespace is dropped from every line and at the end, and durations
 * (`12 ms`) become `N ms`.
 */

/** One section of a script, with the line its header is on (1-based) for failure messages. */
export type Step =
  | { readonly kind: 'file'; readonly line: number; readonly path: string; readonly body: string }
  | { readonly kind: 'copy'; readonly line: number; readonly from: string; readonly to: string }
  | { readonly kind: 'rm'; readonly line: number; readonly path: string }
  | { readonly kind: 'env'; readonly line: number; readonly name: string; readonly value: string }
  | { readonly kind: 'run'; readonly line: number; readonly args: readonly string[]; readonly text: string }
  | { readonly kind: 'exit'; readonly line: number; readonly code: number }
  | { readonly kind: 'exists'; readonly line: number; readonly path: string; readonly present: boolean }
  | {
      readonly kind: 'expect';
      readonly line: number;
      readonly stream: Stream;
      readonly check: 'contains' | 'not contains' | 'equals' | 'json';
      readonly body: string;
    };

/** Where an assertion looks. */
export type Stream =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'stderr' }
  | { readonly kind: 'file'; readonly path: string };

const HEADER = /^-- (.+) --$/;
const ASSERTION = /^(stdout|stderr|file (\S+)) (contains|not contains|equals|json)$/;

/** Parses a script; throws with the line number on a header it does not understand. */
export function parseScript(text: string, name: string): Step[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const steps: Step[] = [];
  let open: { header: string; line: number; body: string[] } | null = null;
  const close = (): void => {
    if (open === null) return;
    steps.push(toStep(open.header, open.line, trimBody(open.body), name));
    open = null;
  };
  lines.forEach((raw, index) => {
    const match = HEADER.exec(raw);
    if (match !== null) {
      close();
      open = { header: match[1]!, line: index + 1, body: [] };
    } else if (open !== null) {
      open.body.push(raw);
    } else if (raw.trim() !== '' && !raw.startsWith('#')) {
      throw new Error(`${name}:${index + 1}: text before the first section must be a # comment`);
    }
  });
  close();
  return steps;
}

/**
 * Drops the blank and `#` comment lines at the end of a body (a comment introduces the next section);
 * a non-empty body ends with exactly one newline.
 */
function trimBody(lines: readonly string[]): string {
  const body = [...lines];
  while (body.length > 0 && (body[body.length - 1]!.trim() === '' || body[body.length - 1]!.startsWith('#')))
    body.pop();
  return body.length === 0 ? '' : `${body.join('\n')}\n`;
}

function toStep(header: string, line: number, body: string, name: string): Step {
  const fail = (why: string): never => {
    throw new Error(`${name}:${line}: ${why} in "-- ${header} --"`);
  };
  const colon = /^(\w+): (.*)$/.exec(header);
  if (colon !== null) {
    const [, directive, rest] = colon as unknown as [string, string, string];
    switch (directive) {
      case 'file':
        return { kind: 'file', line, path: rest, body };
      case 'copy': {
        const [from, to = '.'] = rest.split(/\s+/);
        return { kind: 'copy', line, from: from!, to };
      }
      case 'rm':
        return { kind: 'rm', line, path: rest };
      case 'env': {
        const eq = rest.indexOf('=');
        if (eq <= 0) fail('expected NAME=value');
        return { kind: 'env', line, name: rest.slice(0, eq), value: rest.slice(eq + 1) };
      }
      case 'run': {
        const args = splitArgs(rest);
        if (args[0] !== 'stratum') fail('a command must start with "stratum"');
        return { kind: 'run', line, args: args.slice(1), text: rest };
      }
      case 'exit': {
        if (!/^\d+$/.test(rest)) fail('expected an exit code');
        return { kind: 'exit', line, code: Number(rest) };
      }
      case 'exists':
      case 'absent':
        return { kind: 'exists', line, path: rest, present: directive === 'exists' };
      default:
        return fail(`unknown directive "${directive}"`);
    }
  }
  const assertion = ASSERTION.exec(header);
  if (assertion === null) return fail('unknown section');
  const stream: Stream =
    assertion[2] !== undefined
      ? { kind: 'file', path: assertion[2] }
      : { kind: assertion[1] as 'stdout' | 'stderr' };
  return { kind: 'expect', line, stream, check: assertion[3] as 'contains', body };
}

/** Splits a command line like a shell would for plain words and '…' / "…" quoting. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let current: string | null = null;
  let lastEnd = -1;
  for (const match of text.matchAll(pattern)) {
    const piece = match[1] ?? match[2] ?? match[3] ?? '';
    // Adjacent pieces (no space between) form one word: --label="a b".
    if (current !== null && match.index === lastEnd) current += piece;
    else {
      if (current !== null) args.push(current);
      current = piece;
    }
    lastEnd = match.index + match[0].length;
  }
  if (current !== null) args.push(current);
  return args;
}

/** Normalises output for comparison (see the module comment). */
export function normalise(text: string, work: readonly string[]): string {
  let out = text.replace(/\r\n/g, '\n');
  for (const dir of [...work].sort((a, b) => b.length - a.length)) out = out.split(dir).join('$WORK');
  out = out.replace(/\b\d+ ms\b/g, 'N ms');
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
}
