/**
 * Finds and loads a migrations project: the folder holding `stratum.json` (DESIGN.md §1).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../engine/engine-error.ts';
import { PROJECT_FILE_NAME, validateProjectConfig } from './project-config.ts';
import type { ProjectConfig } from './project-config.ts';

/** A loaded project: where it is and what its `stratum.json` says. */
export interface LoadedProject {
  /** Absolute path of the folder holding `stratum.json`. */
  readonly root: string;
  /** Absolute path of `stratum.json`. */
  readonly configFile: string;
  readonly config: ProjectConfig;
  /** Absolute path of the migrations folder (it may not exist yet). */
  readonly migrationsDir: string;
  /** Non-fatal remarks about the project file (unknown keys). */
  readonly warnings: readonly string[];
}

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  /** Where the search starts when no folder is given (the process's working directory). */
  readonly cwd: string;
}

/**
 * Walks up from `startDir` to the file-system root and returns the first folder holding a
 * `stratum.json`, like git finding `.git`.
 *
 * @throws EngineError `PROJECT_NOT_FOUND` with `{searchedFrom}`.
 */
export function findProjectRoot(startDir: string): string {
  const searchedFrom = path.resolve(startDir);
  let dir = searchedFrom;
  for (;;) {
    if (isFile(path.join(dir, PROJECT_FILE_NAME))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new EngineError(
    'PROJECT_NOT_FOUND',
    `No ${PROJECT_FILE_NAME} found in ${searchedFrom} or any folder above it. ` +
      `Run \`stratum init\` to create a project here, or pass \`--project DIR\` to point at one.`,
    { searchedFrom },
  );
}

/**
 * Loads a project. With `dir` (the CLI's `--project DIR`, resolved against `cwd`), that folder
 * must hold `stratum.json` itself; without it, the project is found by walking up from `cwd`.
 *
 * @throws EngineError `PROJECT_NOT_FOUND`; `CONFIG_INVALID` for unreadable files, invalid JSON
 * (with the parser's line:col) or invalid settings.
 */
export async function loadProject(
  dir: string | undefined,
  options: LoadProjectOptions,
): Promise<LoadedProject> {
  const root =
    dir === undefined ? findProjectRoot(options.cwd) : explicitRoot(path.resolve(options.cwd, dir));
  const configFile = path.join(root, PROJECT_FILE_NAME);
  const text = await readConfigText(configFile);
  const config = validateProjectConfig(parseJson(text, configFile), configFile);
  return {
    root,
    configFile,
    config,
    migrationsDir: path.resolve(root, config.migrations),
    warnings: config.warnings,
  };
}

function explicitRoot(dir: string): string {
  if (isFile(path.join(dir, PROJECT_FILE_NAME))) return dir;
  // `--project` pointing straight at the file is a common slip; accept it.
  if (path.basename(dir) === PROJECT_FILE_NAME && isFile(dir)) return path.dirname(dir);
  const reason = existsSync(dir) ? `${dir} has no ${PROJECT_FILE_NAME}` : `${dir} does not exist`;
  throw new EngineError(
    'PROJECT_NOT_FOUND',
    `${reason}. Check the --project folder, or run \`stratum init\` there to create a project.`,
    { searchedFrom: dir },
  );
}

async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new EngineError(
      'CONFIG_INVALID',
      `${file} cannot be read: ${reason}`,
      { file, problems: [reason] },
      { cause },
    );
  }
}

/** Parses JSON, turning the parser's error into a `line:col` problem. */
function parseJson(text: string, file: string): unknown {
  // A UTF-8 BOM (Windows editors) is not JSON; strip it rather than fail.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const offset = errorOffset(reason, json);
    const where = offset === null ? '' : `${lineColumn(json, offset)}: `;
    const problem = `${where}not valid JSON: ${reason}`;
    throw new EngineError(
      'CONFIG_INVALID',
      `${file}:${where === '' ? ' ' : where}not valid JSON: ${reason}`,
      {
        file,
        problems: [problem],
      },
      { cause },
    );
  }
}

/** The character offset V8's JSON error names ("… in JSON at position 12 (line 2 column 3)"). */
function errorOffset(message: string, text: string): number | null {
  const position = /at position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return Number(position[1]);
  if (/end of JSON input|Unterminated/i.test(message)) return text.length;
  return null;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
