/** A MySQL/MariaDB rehearsal database: an empty database on the same server, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import type { ConnectionTarget, ScratchDatabase } from '../../engine/ports.ts';
import { openMysqlConnection } from './connection.ts';

/** Creates `stratum_rehearsal_<random>` on `target`'s server (needs the CREATE privilege). */
export async function createMysqlScratch(target: ConnectionTarget): Promise<ScratchDatabase> {
  const name = `stratum_rehearsal_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const connection = await openMysqlConnection({ ...target, create: false });
    try {
      await connection.session.execute(sql);
    } finally {
      await connection.session.close();
    }
  };
  await admin(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const url = new URL(target.url);
  url.pathname = `/${name}`;
  return { url: url.href, copied: false, drop: () => admin(`DROP DATABASE IF EXISTS \`${name}\``) };
}
