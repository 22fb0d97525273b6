import type { Dialect } from '../../../shared/model/dialect.ts';
import { sectionFor, type Revision, type SplitterSyntax, type Statement } from './revision.ts';
import { splitStatements } from './statement-splitter.ts';

/**
 * The statements a revision runs in one direction for `dialect`: the dialect's override section if
 * the file has one, else the plain section, split with {@link splitStatements}. A missing section
 * gives `[]`, so callers check {@link isReversible} before a downgrade (an empty down section is
 * reversible and also gives `[]`). Never throws.
 *
 * @example
 * if (!isReversible(revision, 'sqlite')) throw new EngineError('IRREVERSIBLE', …);
 * const statements = statementsFor(revision, 'down', 'sqlite', syntax);
 */
export function statementsFor(
  revision: Revision,
  direction: 'up' | 'down',
  dialect: Dialect,
  syntax: SplitterSyntax,
): Statement[] {
  const section = sectionFor(direction === 'up' ? revision.up : revision.down, dialect);
  return section === null ? [] : splitStatements(section, syntax);
}

/** Whether `revision` has a `migrate:down` section (plain or for `dialect`), so it can be downgraded. */
export function isReversible(revision: Revision, dialect: Dialect): boolean {
  return sectionFor(revision.down, dialect) !== null;
}
