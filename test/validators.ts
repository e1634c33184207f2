// The programs the content tests read files with, or make real log lines with: nginx and uWSGI
// named by NGINX and UWSGI (.ci/run unpacks Debian's into a private tree), else found on this
// machine. Where one is missing its suite is skipped, saying why; under CI=true it fails instead:
// CI must prove what the suite proves.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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

/** uwsgi_params as nginx ships it when it is there to copy ($NGINX_UWSGI_PARAMS, or nginx's own). */
const shippedParams = [process.env.NGINX_UWSGI_PARAMS ?? '', '/etc/nginx/uwsgi_params'].find(
  (path) => path && existsSync(path),
);

/**
 * A whole nginx configuration in a directory of its own (`prefix`): nginx.conf with `head` before
 * its http block (e.g. `user www-data;`), uwsgi_params beside it, and each of `sites` as a file of
 * prefix/sites-enabled/, included by a glob as Debian's nginx.conf does. /etc/nginx is never read
 * into it nor touched. Returns nginx.conf's path.
 */
export function nginxTree(prefix: string, sites: Record<string, string>, head = ''): string {
  mkdirSync(join(prefix, 'sites-enabled'), { recursive: true });
  // Else the few lines uWSGI needs.
  if (shippedParams) copyFileSync(shippedParams, join(prefix, 'uwsgi_params'));
  else {
    const params = ['QUERY_STRING $query_string', 'REQUEST_METHOD $request_method', 'REQUEST_URI $request_uri'];
    const lines = [...params, 'PATH_INFO $document_uri'].map((param) => `uwsgi_param ${param};\n`);
    writeFileSync(join(prefix, 'uwsgi_params'), lines.join(''));
  }
  for (const [name, text] of Object.entries(sites)) writeFileSync(join(prefix, 'sites-enabled', name), text);
  const conf = join(prefix, 'nginx.conf');
  // The temporary paths too: nginx -t creates them, and its compiled-in ones (/var/lib/nginx/…)
  // need not exist where nginx is not installed.
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (kind) => `    ${kind}_temp_path ${prefix}/${kind};\n`,
  );
  const http = `http {\n    access_log off;\n${temps.join('')}    include ${prefix}/sites-enabled/*;\n}\n`;
  writeFileSync(conf, `${head}pid ${prefix}/nginx.pid;\nerror_log ${prefix}/error.log;\nevents {}\n${http}`);
  return conf;
}

/** `nginx -t` or `nginx -T` of the configuration nginxTree made in `prefix`. */
export function nginxCheck(nginx: string, prefix: string, flag: '-t' | '-T') {
  const conf = join(prefix, 'nginx.conf');
  const run = (args: string[]) => spawnSync(nginx, args, { encoding: 'utf8', timeout: 20_000, cwd: prefix });
  // -e keeps nginx away from its compiled-in error log (nginx 1.19.5 and later).
  const withLog = run([flag, '-c', conf, '-p', `${prefix}/`, '-e', join(prefix, 'error.log')]);
  return /invalid option/.test(withLog.stderr) ? run([flag, '-c', conf, '-p', `${prefix}/`]) : withLog;
}
