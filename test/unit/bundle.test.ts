// The shipped file (package.json's bin, built by scripts/bundle.mjs): it runs on its own, and what
// it loads lazily from dist/bundle/lazy/ keeps the names the CLI imports from it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This file runs as dist/test/unit/bundle.test.js. */
const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SHIPPED = join(PROJECT, (JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['uwsgi-nginx-guide']!);
const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-bundle-'));
after(() => rmSync(work, { recursive: true, force: true }));

function shipped(...args: string[]) {
  return spawnSync(process.execPath, [SHIPPED, ...args], { encoding: 'utf8', env: { ...process.env, XDG_STATE_HOME: work } });
}

describe('the bundled CLI', () => {
  it('is what package.json ships, and answers --help from that one file', () => {
    assert.match(SHIPPED, /dist\/bundle\/uwsgi-nginx-guide\.cjs$/);
    const help = shipped('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--dry-run/);
  });

  it('loads React lazily with its named exports (the screen calls createElement)', async () => {
    const react = (await import(pathToFileURL(join(dirname(SHIPPED), 'lazy', 'react.js')).href)) as { createElement?: unknown };
    assert.equal(typeof react.createElement, 'function');
  });

  it('reads an answers file with the lazily loaded yaml', () => {
    const answers = join(work, 'answers.yaml');
    writeFileSync(answers, 'app-name: bundled\nuser: root\nserver-name: example.com\n');
    const plan = shipped('--dry-run', '--platform', 'debian-12', '--answers', answers);
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /\/run\/bundled\/bundled\.sock/);
  });
});
