// The programs the content tests read files with, or make real log lines with: nginx and uWSGI
// named by NGINX and UWSGI (.ci/run unpacks Debian's into a private tree), else found on this
// machine. Where one is missing its suite is skipped, saying why; under CI=true it fails instead:
// CI must prove what the suite proves.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onPath } from '../src/exec/platform.js';

/**
 * The environment without UWSGI_* variables: uWSGI takes each as an option (UWSGI_FOO_BAR is
 * foo-bar), so one of the caller's own would change what the test runs.
 */
export const programEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('UWSGI_')),
);

/**
 * A suite of checks by `program`; where it is missing (`why`), skipped, saying so, but failed
 * under CI=true: a skip there would pass CI without the check ever running.
 */
export function checkedBy(
  title: string,
  program: string | undefined,
  why: string,
  body: (program: string) => void,
): void {
  if (program) describe(title, () => body(program));
  else if (process.env.CI === 'true') {
    describe(title, () => {
      it('has its program', () => assert.fail(`${why}: under CI=true this check must run (.ci/run provides it)`));
    });
  } else describe(title, { skip: why }, () => undefined);
}

/** An executable named by an environment variable, else one of this name on PATH. */
export function program(variable: string, name: string): string | undefined {
  const named = process.env[variable];
  if (named) return existsSync(named) ? named : undefined;
  return onPath(name) ? name : undefined;
}

/** Why `program(variable, name)` found nothing. */
export function missing(variable: string, name: string): string {
  const named = process.env[variable];
  if (named) return `${variable}=${named} is not there`;
  return `${name} is not installed here (set ${variable}=/path/to/${name})`;
}

/** A directory's entries, or none when it cannot be read (a private home, a file). */
function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function runs(path: string): boolean {
  return spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000, env: programEnv }).status === 0;
}

/** A uWSGI binary on this machine: $UWSGI, the e2e's, or one in the virtualenv of any app under /home. */
export function findUwsgi(): string | undefined {
  const named = process.env.UWSGI;
  if (named) return runs(named) ? named : undefined;
  const venvs = entries('/home').flatMap((user) =>
    entries(join('/home', user)).flatMap((app) =>
      entries(join('/home', user, app))
        .filter((env) => env.endsWith('env'))
        .map((env) => join('/home', user, app, env, 'bin', 'uwsgi')),
    ),
  );
  return ['/tmp/uv/bin/uwsgi', ...venvs].find((path) => existsSync(path) && runs(path));
}

/** Why `findUwsgi()` found nothing. */
export const noUwsgi = process.env.UWSGI
  ? `UWSGI=${process.env.UWSGI} does not run`
  : 'no uwsgi binary here (set UWSGI=/path/to/uwsgi)';
