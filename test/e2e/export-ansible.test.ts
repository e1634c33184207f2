// Issue 19, the Ansible export for real on this machine (ansible-core from Debian, -c local): the
// playbook for this platform's family sets the app up and the page answers through nginx; a second
// run reports changed=0 failed=0; a third with --check --diff has nothing to change.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2eans, app e2eansible), with a
// state directory (XDG_STATE_HOME) of its own.
import assert from 'node:assert/strict';
import { assertPageAnswersSoon, exportFor, freshApp } from './exported.js';
import { assertPageAnswers, heading, log, machineTest, q, sh, testApp } from './machine.js';

const USER = 'e2eans';
const APP = testApp(USER, 'e2eansible', 'ansible.e2e.test', 8332);

/** The PLAY RECAP line's counts for localhost. */
function recap(output: string): Record<string, number> {
  const line = /^localhost\s*:\s*(.*)$/m.exec(output)?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map(([, key, value]) => [key!, Number(value)]));
}

function playbook(dir: string, ...more: string[]): { output: string; code: number | null } {
  const command = `cd ${q(dir)} && ANSIBLE_NOCOLOR=1 ansible-playbook -c local -i localhost, playbook.yml ${more.join(' ')}`;
  const run = sh(`${command} 2>&1`, 15 * 60_000);
  log(`$ ${command}\n${run.stdout}`);
  return { output: run.stdout, code: run.code };
}

machineTest('end-to-end: the Ansible export, run three times with -c local (issue 19)', async (t, work) => {
  assert.equal(
    sh('command -v ansible-playbook').code,
    0,
    'ansible-playbook is installed (apt-get install ansible-core)',
  );
  await freshApp(t, APP);
  const out = exportFor('ansible', APP, work.dir);

  heading('first run');
  const first = playbook(out);
  assert.equal(first.code, 0, 'the first run succeeds');
  assert.equal(recap(first.output).failed, 0);
  assert.ok((recap(first.output).changed ?? 0) > 0, 'the first run changed the machine');
  await assertPageAnswersSoon(APP.server);

  heading('second run');
  const second = playbook(out);
  assert.equal(second.code, 0, 'the second run succeeds');
  assert.deepEqual(
    { changed: recap(second.output).changed, failed: recap(second.output).failed },
    { changed: 0, failed: 0 },
    'the second run reports changed=0 failed=0',
  );

  heading('third run: --check --diff');
  const third = playbook(out, '--check', '--diff');
  assert.equal(third.code, 0, 'the check succeeds');
  assert.equal(recap(third.output).changed, 0, '--check --diff finds nothing to change');
  assert.doesNotMatch(third.output, /^[-+]{3} (before|after)/m, 'and shows no diff');
  assertPageAnswers(APP.server);
});
