/** Shared help text: the exit codes (DESIGN.md §6) and an examples block. */
export const EXIT_CODE_HELP = `Exit codes:
  0 ok                 1 error              2 usage
  3 pending revisions  4 multiple heads     5 checksum mismatch
  6 drift              7 lock timeout       8 lint errors
  9 dirty state needs resolution`;

/** An "Examples:" block for a command's help. */
export function examples(text: string): string {
  return `\nExamples:\n  ${text}\n`;
}
