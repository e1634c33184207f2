// Issue 15, item 4: a wsgi.py the student typed their own way (double quotes, other spacing) passes the wsgi-app
// step's checks when it works, and a file that must match shows how it differs instead of only "content differs".
// The step's own probes are asked of real files in a temporary app directory, with this machine's python3.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import type { CheckResult } from '../../src/engine/types.js';
import { probe } from '../../src/exec/system.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { check, commandAction, FakeSystem, planFor, planOf, step } from '../helpers.js';

const me = userInfo().username;
const appDir = mkdtempSync(join(tmpdir(), 'wsgi-by-hand-'));
after(() => rmSync(appDir, { recursive: true, force: true }));
// The venv's python, as the step calls it: this machine's python3 stands in for it.
mkdirSync(join(appDir, 'myappenv', 'bin'), { recursive: true });
symlinkSync('/usr/bin/python3', join(appDir, 'myappenv', 'bin', 'python'));

// Planned as the app's own account, so that the checks run without runuser: the account is whoever runs the test.
const wsgiStep = planFor({ runningAs: me, answers: { user: me, appDir } }).steps.find((s) => s.id === 'wsgi-app')!;

const DOUBLE_QUOTED = [
  'def application(environ, start_response):',
  '    start_response("200 OK", [("Content-Type", "text/html")])',
  '    return [b"<h1 style=\'color:blue\'>Hello There!</h1>"]',
  '',
].join('\n');

async function askChecks(): Promise<CheckResult[]> {
  return Promise.all(wsgiStep.checks.map(async (c) => ({ checkId: c.id, ...(await probe(c.probe)) })));
}

describe("the wsgi-app step checks what matters, not the file's bytes", () => {
  it('a wsgi.py typed with double quotes passes every check of the step', async () => {
    writeFileSync(join(appDir, 'wsgi.py'), DOUBLE_QUOTED);
    const results = await askChecks();
    assert.deepEqual(
      results.map((r) => [r.checkId, r.ok]),
      [
        ['wsgi-file', true],
        ['wsgi-returns-bytes', true],
      ],
      JSON.stringify(results),
    );
  });

  it('one that does not work still fails: a str body, or no application', async () => {
    writeFileSync(join(appDir, 'wsgi.py'), DOUBLE_QUOTED.replace('[b"', '["'));
    assert.equal((await askChecks()).find((r) => r.checkId === 'wsgi-returns-bytes')?.ok, false, 'a str body');
    writeFileSync(join(appDir, 'wsgi.py'), DOUBLE_QUOTED.replace('def application', 'def app'));
    assert.equal((await askChecks()).find((r) => r.checkId === 'wsgi-returns-bytes')?.ok, false, 'no application');
  });
});

describe('a file that must match shows how it differs', () => {
  it('the probe answers with a short diff, and the plain output prints it under the check', async () => {
    const path = join(appDir, 'site');
    writeFileSync(path, 'server {\n    listen 80;\n    server_name other.example;\n}\n');
    const site = check('site-enabled', {
      probe: { kind: 'file', path, content: 'server {\n    listen 80;\n    server_name example.com;\n}\n' },
    });
    const answer = await probe(site.probe);
    assert.equal(answer.ok, false);
    // The nginx step, unattended: its command runs, then the check is asked and answered as the real probe did.
    const plan = planOf(step('nginx', { actions: [commandAction('enable-site', 'ln')], checks: [site] }));
    const session = new WizardSession(plan, new FakeSystem({ probe: () => answer }), { auto: true, pollMs: 2 });
    let out = '';
    session.subscribe(plainPrinter((text) => (out += text), 'en', session.getState()));
    await session.run();
    assert.match(out, /found: content differs\n {8}@@ -2,3 \+2,3 @@\n {13}listen 80;\n/, out);
    assert.match(out, / {8}- {4}server_name example\.com;\n {8}\+ {4}server_name other\.example;\n/, out);
  });
});
