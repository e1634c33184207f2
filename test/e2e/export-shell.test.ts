// Issue 19, the shell export for real on this machine: exported for this platform, run as root,
// the page answers through nginx; run again, nothing changes. "Nothing changes" is proved from
// outside: the mtimes of every file the plan writes and every path its commands create (the nginx
// link's own, not its target's), the uWSGI master's pid, and nginx's master and workers (a reload
// would start new workers) are the same after the second run, which says "nothing to change".
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2eexp, app e2eexport), with a
// state directory (XDG_STATE_HOME) of its own.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPageAnswersSoon, exportFor, freshApp } from './exported.js';
import { assertPageAnswers, heading, log, machineTest, must, nginxMaster, q, sh, testApp } from './machine.js';

const USER = 'e2eexp';
const APP = testApp(USER, 'e2eexport', 'export.e2e.test', 8331);

/** What a second run must leave as it was. */
function snapshot(): Record<string, string> {
  const paths = [
    APP.dir,
    `${APP.dir}/wsgi.py`,
    `${APP.dir}/${APP.name}.ini`,
    `${APP.dir}/${APP.name}env`,
    `${APP.dir}/${APP.name}env/bin/uwsgi`,
    `/run/${APP.name}`,
    `/etc/nginx/sites-available/${APP.name}`,
    `/etc/nginx/sites-enabled/${APP.name}`,
  ];
  const state: Record<string, string> = {};
  for (const path of paths)
    state[path] = existsSync(path) ? `mtime ${lstatSync(path, { bigint: true }).mtimeNs}` : 'missing';
  state['uWSGI master'] = readFileSync(`/run/${APP.name}/${APP.name}.pid`, 'utf8').trim();
  const master = nginxMaster();
  state['nginx master'] = String(master);
  state['nginx workers'] = master === undefined ? '' : must(`pgrep -P ${master}`).trim().split('\n').sort().join(' ');
  return state;
}

function runScript(script: string): string {
  const run = sh(`sh ${q(script)} 2>&1`, 15 * 60_000);
  log(run.stdout);
  assert.equal(run.code, 0, `sh ${script} exited ${run.code}`);
  return run.stdout;
}

machineTest(
  'end-to-end: the shell export sets the app up, and a second run changes nothing (issue 19)',
  async (t, work) => {
    await freshApp(t, APP);
    const out = exportFor('shell', APP, work.dir);
    const script = join(out, 'setup.sh');

    heading('first run');
    const first = runScript(script);
    assert.match(first, /changes made/, 'the first run says it changed the machine');
    await assertPageAnswersSoon(APP.server);
    const before = snapshot();
    log(JSON.stringify(before, null, 2));

    heading('second run');
    const second = runScript(script);
    assert.match(second, /nothing to change/, 'the second run says there was nothing to change');
    assert.doesNotMatch(second, /==>|wrote /, 'the second run ran no command and wrote no file');
    assert.deepEqual(
      snapshot(),
      before,
      'mtimes, the uWSGI master and nginx processes are the same after the second run',
    );
    assertPageAnswers(APP.server);
  },
);
