// The npm package: `npm pack` gives a tarball of the bundle and what it reads (the recordings), no
// sources, no node_modules, not the 100 MB executable; `npm install -g` of it needs no download
// (everything is bundled: package.json has no dependencies) and puts uwsgi-nginx-guide on PATH.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** This file runs as dist/test/unit/pack.test.js. */
const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PACKAGE = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
};
const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * npm, quiet and kept to the temporary directory: its own cache there (the user's is not touched),
 * no audit, no funding or update notices; scripts off (prepack would build again, under the
 * other tests' feet: `npm test` has just built).
 */
function npm(args: string[], cwd = PROJECT) {
  const quiet = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const env = { ...process.env, ...quiet };
  const options = ['--cache', join(work, 'cache'), '--ignore-scripts', '--loglevel', 'error'];
  return spawnSync('npm', [...args, ...options], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

describe('the npm package', () => {
  let tarball = '';
  let files: { path: string; mode: number }[] = [];

  it('holds the bundle and the recordings, with the bin executable, and nothing else of the project', () => {
    const packed = npm(['pack', '--json', '--pack-destination', work]);
    assert.equal(packed.status, 0, packed.stderr);
    const [report] = JSON.parse(packed.stdout) as { filename: string; files: { path: string; mode: number }[] }[];
    tarball = join(work, report!.filename);
    files = report!.files;
    const paths = files.map((file) => file.path);
    const bin = PACKAGE.bin['uwsgi-nginx-guide']!;
    assert.ok(paths.includes(bin), `${bin} is in it`);
    assert.ok(paths.includes('dist/bundle/lazy/commands.js'), 'the lazy part is in it');
    assert.ok(paths.includes('fixtures/recordings/debian-12-noinit.json'), 'the recording --simulate replays is in it');
    const shipped = /^(dist\/bundle\/|fixtures\/recordings\/|package\.json$|README\.md$)/;
    const stray = paths.filter((path) => !shipped.test(path));
    assert.deepEqual(stray, [], 'no sources, tests, node_modules or standalone executable');
    assert.ok((files.find((file) => file.path === bin)!.mode & 0o111) !== 0, 'the bin is executable');
    assert.match(readFileSync(join(PROJECT, bin), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    assert.equal(PACKAGE.dependencies, undefined, 'nothing to download at install: it is all in the bundle');
  });

  it('installs globally, offline, with uwsgi-nginx-guide on PATH answering --version and --help', () => {
    assert.ok(tarball, 'packed by the test before');
    const prefix = join(work, 'prefix');
    const installed = npm(['install', '--global', '--offline', '--prefix', prefix, tarball], work);
    assert.equal(installed.status, 0, installed.stderr);
    const command = join(prefix, 'bin', 'uwsgi-nginx-guide');
    const env = { ...process.env, XDG_STATE_HOME: join(work, 'state') };
    const version = spawnSync(command, ['--version'], { cwd: work, env, encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), PACKAGE.version);
    const help = spawnSync(command, ['--help'], { cwd: work, env, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: uwsgi-nginx-guide \[options\] \[command\]/);
    // The recording is found beside the installed bundle (the package's fixtures/recordings/).
    const simulated = spawnSync(command, ['--simulate', '--yes', '--lang', 'en'], { cwd: work, env, encoding: 'utf8' });
    assert.equal(simulated.status, 0, simulated.stderr);
    assert.match(simulated.stdout, /Every step has been gone through\./);
  });
});
