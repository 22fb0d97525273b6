/** Where the CLI writes, and whether it may use colour and live progress lines. */
export interface Terminal {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** stderr is a TTY: progress may redraw a line in place. */
  readonly live: boolean;
  readonly color: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;

/** A colour name for {@link paint}. */
export type Colour = keyof typeof CODES;

/** Wraps `text` in an ANSI colour when the terminal allows it (NO_COLOR respected). */
export function paint(term: Terminal, colour: Colour, text: string): string {
  return term.color ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

/** The terminal of this process. */
export function processTerminal(env: Readonly<Record<string, string | undefined>>): Terminal {
  const live = process.stderr.isTTY === true;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    live,
    color: process.stdout.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb',
  };
}
