/** The SQL dialects Stratum speaks. MariaDB is served by `mysql`. */
export const DIALECTS = ['sqlite', 'postgres', 'mysql'] as const;

/** One of {@link DIALECTS}. */
export type Dialect = (typeof DIALECTS)[number];

/** Whether `value` names a supported dialect. */
export function isDialect(value: unknown): value is Dialect {
  return typeof value === 'string' && (DIALECTS as readonly string[]).includes(value);
}

/** Environment tags drive safety prompts (DESIGN.md §1, §5). */
export const ENVIRONMENT_TAGS = ['local', 'staging', 'production'] as const;

/** One of {@link ENVIRONMENT_TAGS}. */
export type EnvironmentTag = (typeof ENVIRONMENT_TAGS)[number];
