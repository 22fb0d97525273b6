import type { EnvironmentTag } from '../../shared/model/dialect.ts';

/** Which database a command talked to, as reported to the user (never with a password). */
export interface DatabaseInfo {
  readonly url: string;
  readonly envName: string | null;
  readonly tag: EnvironmentTag;
  /** False when the database does not exist yet (read-only commands treat it as empty). */
  readonly exists: boolean;
}
