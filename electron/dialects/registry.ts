/**
 * The explicit list of dialect adapters (STYLE.md §A): no side-effect registration, so what ships
 * is exactly what this file imports (against Alembic's `ImplMeta`).
 */
import type { Dialect } from '../../shared/model/dialect.ts';
import type { DialectAdapter } from '../engine/ports.ts';
import { mysqlAdapter } from './mysql/adapter.ts';
import { postgresAdapter } from './postgres/adapter.ts';
import { sqliteAdapter } from './sqlite/adapter.ts';

const ADAPTERS: Readonly<Record<Dialect, DialectAdapter>> = {
  sqlite: sqliteAdapter,
  postgres: postgresAdapter,
  mysql: mysqlAdapter,
};

/** The adapter of `dialect`. */
export function adapterFor(dialect: Dialect): DialectAdapter {
  return ADAPTERS[dialect];
}
