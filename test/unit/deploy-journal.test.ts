// `deploy` after `doctor --fix` (issue 17): the doctor's fix of a file in the running code kept its
// backup beside it; deploy's switch moves that code aside into code.previous. The journal then must
// not still ask undo to put the backup back where it no longer is (undo failed on that `mv`): the
// fix's entry leaves the journal with the code it was about, which undo takes away whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployCurriculum } from '../../steps/index.js';
import { type JournalEntry, planUndo } from '../../src/engine/journal.js';
import { ownAppPaths } from '../../src/engine/own-app/paths.js';
import { buildPlan } from '../../src/engine/plan.js';
import { WizardSession } from '../../src/engine/session.js';
import { DJANGO_APP, FakeSystem, ownAppContext } from '../helpers.js';

const ctx = ownAppContext(DJANGO_APP);
const o = ownAppPaths(ctx, DJANGO_APP);
const FIXED = `${o.code}/mysite/uwsgi_guide_settings.py`;
const BACKUP = `${FIXED}.bak-20261124T000000`;

/** What the wizard's first run and the doctor's fix left in the record before the deploy. */
const BEFORE_DEPLOY: JournalEntry[] = [
  { kind: 'created', step: 'app-code', action: 'mkdir-code', path: o.code, made: 'tree', runAs: 'service-user' },
  { kind: 'file', step: 'app-django', action: 'write-django-settings', path: FIXED, owner: 'demo' },
  { kind: 'file', doctor: 'django-hosts', path: FIXED, owner: 'demo', backup: BACKUP },
];

/** deploy run to its end on a fake machine where every command and check succeeds; the journal it leaves. */
async function deployed(before: JournalEntry[] = BEFORE_DEPLOY): Promise<JournalEntry[]> {
  const fake = new FakeSystem({
    commands: {
      'deploy-mkdir-new': { creates: { [o.codeNew]: { kind: 'dir' } } },
      'deploy-switch': { creates: { [o.codePrevious]: { kind: 'dir' } } },
    },
  });
  let journal = before;
  const session = new WizardSession(buildPlan(deployCurriculum, ctx), fake, {
    auto: true,
    pollMs: 2,
    journal: before,
    onJournal: (entries) => {
      journal = entries;
    },
    undoContext: ctx,
  });
  await session.run();
  assert.equal(session.getState().phase.kind, 'finished');
  return journal;
}

describe('deploy after a doctor’s fix in the running code', () => {
  it('the fix’s entry leaves the journal with the code deploy moved aside; code.previous is taken away whole', async () => {
    const journal = await deployed();
    assert.ok(
      !journal.some((entry) => entry.kind === 'file' && entry.path.startsWith(`${o.code}/`)),
      JSON.stringify(journal),
    );
    assert.deepEqual(journal[0], BEFORE_DEPLOY[0], 'the code directory itself stays journaled: undo removes it');
    assert.ok(
      journal.some((entry) => entry.kind === 'created' && entry.path === o.codePrevious && entry.made === 'tree'),
    );
  });

  it('undo then never asks for the backup that went with the old code', async () => {
    const undo = planUndo(ctx, await deployed()).map((action) => action.command);
    assert.ok(!undo.some((line) => line.includes(BACKUP)), undo.join('\n'));
    assert.ok(undo.includes(`runuser -u demo -- rm -rf ${o.codePrevious}`), undo.join('\n'));
    assert.equal(undo.at(-1), `runuser -u demo -- rm -rf ${o.code}`, 'the code last, after all that was in it');
  });
});

describe('deploying again and again', () => {
  it('journals code.new once, however many deploys made it again: undo lists and removes it once', async () => {
    const twice = await deployed(await deployed());
    const codeNew = twice.filter((entry) => entry.kind === 'created' && entry.path === o.codeNew);
    assert.equal(codeNew.length, 1, JSON.stringify(twice));
  });
});
