/**
 * Writes a linear chain of revision files (each the parent of the next) into a project's
 * `migrations/` folder, for runner tests. File `i` is `migrations/2026110<i+1>T0900_<id>_step.sql`;
 * its `-- migrate:up` body starts on line 7 (8 with a `transaction:` line).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One revision of a chain. */
export interface ChainRevision {
  readonly id: string;
  readonly up: string;
  /** Omitted: the revision is irreversible. */
  readonly down?: string;
  readonly transaction?: 'none';
}

/** The project-relative path of revision `i` of a chain. */
export function chainFile(i: number, id: string): string {
  return `migrations/2026110${i + 1}T0900_${id}_step.sql`;
}

/** Writes `specs` as a chain into `root/migrations` (created if missing). */
export function writeRevisionChain(root: string, specs: readonly ChainRevision[]): void {
  mkdirSync(path.join(root, 'migrations'), { recursive: true });
  specs.forEach((spec, i) => {
    const text = [
      `-- revision: ${spec.id}`,
      `-- parents: ${i === 0 ? '' : specs[i - 1]!.id}`,
      `-- message: step ${i + 1}`,
      `-- created: 2026-11-0${i + 1}T09:00:00Z`,
      ...(spec.transaction === undefined ? [] : [`-- transaction: ${spec.transaction}`]),
      '',
      '-- migrate:up',
      spec.up,
      ...(spec.down === undefined ? [] : ['', '-- migrate:down', spec.down]),
      '',
    ].join('\n');
    writeFileSync(path.join(root, chainFile(i, spec.id)), text);
  });
}
