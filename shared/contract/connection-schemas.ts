/**
 * Connections as the app manages them: the environments of `stratum.json` plus connections the
 * user saved for the project. Passwords go in (`connections.save`) but never come back out: a
 * connection only says whether it has one and how it is kept.
 */
import { z } from 'zod';
import { dialectSchema, environmentTagSchema } from './model-schemas.ts';

/** Where a connection comes from: an environment of stratum.json, or saved in the app. */
export const CONNECTION_SOURCES = ['project', 'saved'] as const;

/**
 * How a saved password is kept: `encrypted` with the OS keychain (desktop, Electron `safeStorage`),
 * `session` in memory until the app or `stratum serve` stops (browser mode never writes one), or
 * `none` (no password saved: the URL, `${VAR}`, `.pgpass` or an option file provides it).
 */
export const PASSWORD_STORAGES = ['encrypted', 'session', 'none'] as const;

/** A connection as the renderer sees it: never with a password. */
export const connectionInfoSchema = z.object({
  /** `env:<name>` for a stratum.json environment; a random id for a saved connection. */
  id: z.string(),
  name: z.string(),
  source: z.enum(CONNECTION_SOURCES),
  dialect: dialectSchema,
  /** The URL without its password (`${VAR}`s not expanded for project environments). */
  url: z.string(),
  tag: environmentTagSchema,
  /** The database's name, which a production run must be confirmed by typing. */
  databaseName: z.string(),
  passwordStorage: z.enum(PASSWORD_STORAGES),
});
/** A connection as the renderer sees it. */
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

const NAME = z
  .string()
  .trim()
  .min(1, 'Give the connection a name.')
  .max(80, 'Keep the name under 80 characters.');

/** What the connection form sends. */
export const connectionDraftSchema = z.strictObject({
  /** Absent for a new connection. */
  id: z.string().min(1).max(100).optional(),
  name: NAME,
  /** `sqlite:PATH`, `postgres://…` or `mysql://…`; a password in it is moved to the password store. */
  url: z.string().trim().min(1, 'Enter a database URL.').max(4000),
  tag: environmentTagSchema,
  /** A new password; `null` removes the saved one; absent keeps it. */
  password: z.string().max(1000).nullable().optional(),
});
/** What the connection form sends. */
export type ConnectionDraft = z.infer<typeof connectionDraftSchema>;

/** What a successful connection test reports. */
export const connectionTestSchema = z.object({
  serverVersion: z.string(),
  latencyMs: z.number(),
  /** False when the database does not exist yet (SQLite file, MySQL database). */
  exists: z.boolean(),
});
/** What a successful connection test reports. */
export type ConnectionTest = z.infer<typeof connectionTestSchema>;
