/** `sql.export`: the SQL of a range, or from a connection's current heads, as files for a DBA. */
import type { EngineOutput, EngineParsedInput } from '../../../shared/contract/engine-contract.ts';
import { current } from '../database-status.ts';
import { offlineSql } from '../offline-sql.ts';
import type { AppSession } from './app-session.ts';

/** Renders the export; with `connectionId` the script starts from that database's current heads. */
export async function exportSql(
  session: AppSession,
  input: EngineParsedInput<'sql.export'>,
): Promise<EngineOutput<'sql.export'>> {
  const fromRows =
    input.connectionId === undefined
      ? undefined
      : (await current(await session.connectionOptions(input.connectionId))).current.map((c) => c.revision);
  const result = await offlineSql({
    ...session.projectOptions(),
    direction: input.direction,
    range: input.range,
    dialect: input.dialect,
    bookkeeping: input.bookkeeping,
    split: input.split,
    fromRows,
  });
  return { dialect: result.dialect, steps: result.plan.steps.length, files: result.files };
}
