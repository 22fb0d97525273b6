/** The environment tag of a connection, in its colour everywhere it appears. */
import type { EnvironmentTag } from '../../shared/model/dialect.ts';

export function EnvTag({ tag }: { tag: EnvironmentTag }) {
  return <span className={`env-tag env-${tag}`}>{tag}</span>;
}
