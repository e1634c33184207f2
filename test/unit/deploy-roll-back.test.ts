// `deploy` when the new code took the running one's place and then did not serve (issue 17): uWSGI's
// master never came back into the code (the wait for the reload timed out). deploy puts the previous
// code back and reloads again by itself, and says so, in both languages; a failure before the switch
// (the new code does not import) has nothing to put back; a roll-back that fails too is said as such.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/app/common.js';
import { runDeploy, switchedButNotServing } from '../../src/app/deploy.js';
import { buildPlan } from '../../src/engine/plan.js';
import { initialState, type Phase } from '../../src/engine/wizard.js';
import { deployCurriculum } from '../../steps/index.js';
import type { SourceTree } from '../../src/engine/own-app/find.js';
import { emptyProgress, type Progress, recordStep } from '../../src/engine/progress.js';
import { fakeSurroundings } from '../fake-surroundings.js';
import { ANSWERS, FakeSystem, FLASK_APP, ownAppContext } from '../helpers.js';

const SOURCE = '/work/site';
const FLASK: SourceTree = {
  files: ['app.py'],
  dirs: [],
  texts: { 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' },
};
const FLAGS = { yes: true, appName: 'myapp', user: 'demo', serverName: 'example.com', appSource: SOURCE };

/** The record of a project the wizard serves: its code copied, the service and the site done. */
function served(): Progress {
  const at = 'then';
  let progress = emptyProgress({ ...ANSWERS, appSource: SOURCE }, at);
  for (const id of ['app-code', 'service', 'nginx'] as const)
    progress = recordStep(progress, id, { state: 'done', by: 'wizard', at });
  return progress;
}

/** deploy on a fake machine where these commands exit 124 (timeout's code) and these checks fail. */
async function deploy(options: { timesOut?: string[]; failing?: string[]; lang?: 'en' | 'ja' }) {
  const commands = Object.fromEntries((options.timesOut ?? []).map((id) => [id, { exitCode: 124 }]));
  const system = new FakeSystem({
    commands,
    probe: (name) => !(options.failing ?? []).some((failing) => name.includes(failing)),
  });
  system.sources.set(SOURCE, { kind: 'read', root: SOURCE, tree: FLASK });
  const fake = fakeSurroundings({ system, progress: served() });
  const code = await runDeploy(fake.s, { ...FLAGS, lang: options.lang ?? 'en' });
  return { code, performed: system.performed, said: `${fake.stdout.text}${fake.stderr.text}` };
}

const PUT_BACK = ['roll-back-put-back', 'roll-back-touch-reload', 'roll-back-wait-reload'];

describe('deploy, the new code switched in but not serving', () => {
  it('puts the previous code back and reloads again, says so, and still fails: the new code is not deployed', async () => {
    const { code, performed, said } = await deploy({ timesOut: ['deploy-wait-reload'] });
    assert.deepEqual(performed.slice(performed.indexOf('deploy-switch')), [
      'deploy-switch',
      'deploy-touch-reload',
      'deploy-wait-reload',
      ...PUT_BACK,
    ]);
    assert.equal(code, EXIT.stepFailed);
    assert.match(said, /The new code did not serve after the reload, so the deploy put the previous code back: myapp/);
    assert.match(said, /kept in \/home\/demo\/myapp\/code\.new/);
    assert.doesNotMatch(said, /now serves your new code/);
  });

  it('says so in Japanese', async () => {
    const { said } = await deploy({ timesOut: ['deploy-wait-reload'], lang: 'ja' });
    assert.match(
      said,
      /deploy は前のコードを元に戻しました。myapp は deploy の前と同じように、またそれを提供しています/,
    );
  });

  it('a roll-back that does not bring the site back either is named as such', async () => {
    const { code, performed, said } = await deploy({ timesOut: ['deploy-wait-reload', 'roll-back-wait-reload'] });
    assert.ok(performed.includes('roll-back-put-back'));
    assert.equal(code, EXIT.stepFailed);
    assert.match(said, /with the previous code put back myapp does not serve either: see \[deploy-roll-back\]/);
    assert.doesNotMatch(said, /serves it again/);
  });

  it('new code that does not import is never switched in: nothing is put back', async () => {
    const { code, performed, said } = await deploy({ failing: [' -B -c '] });
    assert.ok(!performed.includes('deploy-switch'), performed.join(' '));
    assert.ok(!performed.some((id) => PUT_BACK.includes(id)), performed.join(' '));
    assert.equal(code, EXIT.stepFailed);
    assert.doesNotMatch(said, /previous code back/);
  });
});

describe('when deploy puts the previous code back', () => {
  const plan = buildPlan(deployCurriculum, ownAppContext(FLASK_APP));
  /** The run at deploy-reload, in `phase`, the switch done or not; then ended by a quit for `reason`. */
  const ended = (phase: Phase, switched: boolean, reason: 'user' | 'failure') => {
    const beforeEnd = {
      ...initialState(plan),
      stepIndex: 1,
      phase,
      completedActions: switched ? [{ action: 0, skipped: false }] : [],
    };
    return { beforeEnd, final: { ...beforeEnd, phase: { kind: 'quit' as const, reason } } };
  };
  const checkFailed: Phase = { kind: 'check-failed' };

  it('a person who quits at the failed check (no --yes) gets the previous code back too, as --yes does', () => {
    assert.equal(switchedButNotServing(ended(checkFailed, true, 'user')), true);
    assert.equal(switchedButNotServing(ended(checkFailed, true, 'failure')), true);
  });

  it('not before the switch, nor after a Ctrl-C while a command runs (nothing failed)', () => {
    assert.equal(switchedButNotServing(ended(checkFailed, false, 'failure')), false);
    assert.equal(switchedButNotServing(ended({ kind: 'stopping', action: 2 }, true, 'user')), false);
  });
});
