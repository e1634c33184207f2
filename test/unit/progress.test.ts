// Resume (issue 4): the record of a run and its reconciliation with the machine (the run lock: run-lock.test.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  emptyProgress,
  firstStepToDo,
  type IgnoredBecause,
  isComplete,
  parseProgress,
  PROGRESS_VERSION,
  reconcile,
  recordStatuses,
  sameInstallation,
  type Progress,
} from '../../src/engine/progress.js';
import { canSurvey, surveyMachine } from '../../src/engine/survey.js';
import type { StepId } from '../../src/engine/types.js';
import { initialState, reduce, type StepStatus } from '../../src/engine/wizard.js';
import { ignoredBecauseSaid } from '../../src/ui/ignored-record-text.js';
import { LABELS } from '../../src/ui/labels.js';
import { englishSentences } from '../ui/english-scan.js';
import {
  bringRecordForward,
  progressPath,
  readProgress,
  readShelved,
  setAsideProgress,
  shelvedAnswersOf,
  shelvedPath,
  writeProgress,
} from '../../src/exec/progress-store.js';
import { ANSWERS, FakeSystem, planFor } from '../helpers.js';

const NOW = '2026-11-21T10:00:00.000Z';
const plan = planFor();
const ids = plan.steps.map((s) => s.id);

function statuses(overrides: Partial<Record<StepId, StepStatus>>): Record<StepId, StepStatus> {
  return Object.fromEntries(ids.map((id) => [id, overrides[id] ?? 'todo'])) as Record<StepId, StepStatus>;
}

/** Probe answers for the steps that can be surveyed: those listed pass, the others fail. */
function probes(passing: StepId[]): Partial<Record<StepId, boolean>> {
  return Object.fromEntries(plan.steps.filter(canSurvey).map((s) => [s.id, passing.includes(s.id)]));
}

function stateOf(overview: ReturnType<typeof reconcile>, id: StepId) {
  return overview.find((s) => s.id === id)?.state;
}

describe('the progress file', () => {
  it('round-trips through JSON and is recognised as this version', () => {
    const progress = recordStatuses(emptyProgress(ANSWERS, NOW), statuses({ packages: 'done' }), NOW);
    const reading = parseProgress(JSON.stringify(progress));
    assert.equal(reading.kind, 'ok');
    assert.deepEqual(reading.kind === 'ok' && reading.progress, progress);
  });

  it('is ignored with a reason when it is not JSON', () => {
    const reading = parseProgress('{"version": 1, "answ');
    assert.equal(reading.kind, 'ignored');
    assert.deepEqual(reading.kind === 'ignored' && reading.because, { kind: 'not-json' });
  });

  it('is ignored with a reason when it comes from another version', () => {
    const reading = parseProgress(JSON.stringify({ ...emptyProgress(ANSWERS, NOW), version: PROGRESS_VERSION + 1 }));
    assert.equal(reading.kind, 'ignored');
    assert.deepEqual(reading.kind === 'ignored' && reading.because, {
      kind: 'version',
      found: String(PROGRESS_VERSION + 1),
      reads: PROGRESS_VERSION,
    });
  });

  it('is ignored when a field is damaged', () => {
    const damaged = { ...emptyProgress(ANSWERS, NOW), steps: { packages: { state: 'half-done', at: NOW } } };
    assert.equal(parseProgress(JSON.stringify(damaged)).kind, 'ignored');
    const wrongType = parseProgress(JSON.stringify({ ...emptyProgress(ANSWERS, NOW), updatedAt: 7 }));
    assert.deepEqual(wrongType.kind === 'ignored' && wrongType.because, {
      kind: 'damaged',
      field: 'updatedAt',
      expected: 'string',
    });
  });

  it("says why it was ignored in the reader's language, with no English inside the Japanese (issue 15, item 11)", () => {
    const reasons: IgnoredBecause[] = [
      { kind: 'unreadable', code: 'EACCES' },
      { kind: 'not-json' },
      { kind: 'version', found: '99', reads: PROGRESS_VERSION },
      { kind: 'damaged', field: 'steps.packages.state' },
      { kind: 'damaged', field: 'updatedAt', expected: 'string' },
    ];
    for (const because of reasons) {
      const ja = LABELS.ja.progressIgnored({
        path: '/p/progress.json',
        reason: ignoredBecauseSaid(LABELS.ja, because),
      });
      assert.deepEqual(englishSentences(ja, []), [], ja);
      assert.match(ignoredBecauseSaid(LABELS.en, because), /^it /);
    }
    assert.match(ignoredBecauseSaid(LABELS.ja, reasons[2]!), /バージョン 99 の記録/);
    assert.match(ignoredBecauseSaid(LABELS.en, reasons[4]!), /updatedAt should be a string/);
  });

  it('counts only for the same app, user and directory', () => {
    assert.equal(sameInstallation(ANSWERS, { ...ANSWERS, processes: 3, serverName: 'other.example' }), true);
    assert.equal(sameInstallation(ANSWERS, { ...ANSWERS, appName: 'other' }), false);
    assert.equal(sameInstallation(ANSWERS, { ...ANSWERS, user: 'someone' }), false);
  });

  it('is written atomically and read back; a missing file reads as none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'progress-'));
    const path = join(dir, 'progress.json');
    assert.equal((await readProgress(path)).kind, 'none');
    const progress = recordStatuses(emptyProgress(ANSWERS, NOW), statuses({ packages: 'done' }), NOW);
    await writeProgress(progress, path);
    const reading = await readProgress(path);
    assert.deepEqual(reading.kind === 'ok' && reading.progress.steps, progress.steps);
    writeFileSync(path, 'garbage');
    assert.equal((await readProgress(path)).kind, 'ignored');
  });

  it("a second app shelves the first app's record, and coming back to the first brings it forward again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'progress-'));
    const first = recordStatuses(emptyProgress(ANSWERS, NOW), statuses({ packages: 'done', nginx: 'done' }), NOW);
    const second = { ...ANSWERS, appName: 'otherapp', appDir: `/home/${ANSWERS.user}/otherapp` };
    await writeProgress(first, progressPath(dir));

    await bringRecordForward(first, second, dir);
    assert.equal(existsSync(progressPath(dir)), false, 'progress.json is free for the second app');
    assert.deepEqual(await readShelved(ANSWERS, dir), first, "the first app's record waits on the shelf, whole");
    assert.ok(shelvedPath(ANSWERS, dir).startsWith(join(dir, 'apps')));
    await writeProgress(emptyProgress(second, NOW), progressPath(dir));

    const current = await readProgress(progressPath(dir));
    await bringRecordForward(current.kind === 'ok' ? current.progress : undefined, ANSWERS, dir);
    const back = await readProgress(progressPath(dir));
    assert.deepEqual(back.kind === 'ok' && back.progress, first, "the first app's record is current again");
    assert.equal((await readShelved(second, dir))?.answers.appName, 'otherapp', 'and the second app waits in its turn');
    assert.deepEqual(
      await shelvedAnswersOf('otherapp', undefined, dir),
      second,
      'its answers are the defaults when it is named again',
    );
    assert.equal(await shelvedAnswersOf('otherapp', 'someone-else', dir), undefined, 'for its own account only');
  });

  it('two directories that differ only by "/" and "_" get different shelves', () => {
    assert.notEqual(shelvedPath({ ...ANSWERS, appDir: '/srv/a_b' }), shelvedPath({ ...ANSWERS, appDir: '/srv/a/b' }));
  });

  it('a damaged shelf is set aside, not brought forward to be overwritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'progress-'));
    mkdirSync(join(dir, 'apps'));
    writeFileSync(shelvedPath(ANSWERS, dir), '{"version": 1, "answ');
    await bringRecordForward(undefined, ANSWERS, dir);
    assert.equal(existsSync(progressPath(dir)), false, 'not taken as the record');
    const aside = readdirSync(join(dir, 'apps')).filter((name) => name.includes('.ignored-'));
    assert.equal(aside.length, 1, 'kept beside, whole');
  });

  it('an ignored file is moved aside whole before a new record takes its place, never overwritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'progress-'));
    const path = join(dir, 'progress.json');
    assert.equal(setAsideProgress(path), undefined, 'nothing to move when there is no file');
    const future = JSON.stringify({ version: PROGRESS_VERSION + 1, layout: 'from a later wizard' });
    writeFileSync(path, future);
    const aside = setAsideProgress(path, new Date('2026-11-21T10:20:30.456Z'));
    assert.equal(aside, `${path}.ignored-2026-11-21T10-20-30-456Z`);
    assert.equal(readFileSync(aside!, 'utf8'), future, 'the content is kept byte for byte');
    assert.equal(existsSync(path), false, 'the place is free for the new record');
  });
});

describe('recording a run', () => {
  it('records steps by id: done by the wizard, found in place, skipped', () => {
    const progress = recordStatuses(
      emptyProgress(ANSWERS, NOW),
      statuses({ packages: 'already-done', virtualenv: 'done', uwsgi: 'skipped' }),
      NOW,
    );
    assert.deepEqual(progress.steps.packages, { state: 'done', by: 'found', at: NOW });
    assert.deepEqual(progress.steps.virtualenv, { state: 'done', by: 'wizard', at: NOW });
    assert.deepEqual(progress.steps.uwsgi, { state: 'skipped', by: 'wizard', at: NOW });
    assert.equal(progress.steps['wsgi-app'], undefined);
  });

  it('a step that fails this time loses its old "done"; unreached steps keep theirs', () => {
    const before = recordStatuses(emptyProgress(ANSWERS, NOW), statuses({ packages: 'done', nginx: 'done' }), NOW);
    const after = recordStatuses(before, statuses({ packages: 'failed' }), '2026-11-22T00:00:00.000Z');
    assert.equal(after.steps.packages, undefined);
    assert.equal(after.steps.nginx?.state, 'done');
  });

  it('keeps the time of a record that did not change', () => {
    const before = recordStatuses(emptyProgress(ANSWERS, NOW), statuses({ packages: 'done' }), NOW);
    const after = recordStatuses(before, statuses({ packages: 'already-done' }), '2026-12-01T00:00:00.000Z');
    assert.equal(after, before);
  });
});

describe('reconciling the record with the machine', () => {
  const record = (steps: Partial<Record<StepId, StepStatus>>): Progress =>
    recordStatuses(emptyProgress(ANSWERS, NOW), statuses(steps), NOW);

  it('a step whose result is in place is done, recorded or not (done by hand)', () => {
    const overview = reconcile(plan, undefined, probes(['packages', 'virtualenv', 'uwsgi']));
    assert.equal(stateOf(overview, 'uwsgi'), 'done');
    // Lessons before the furthest step done on the machine were passed by whoever got there.
    assert.equal(stateOf(overview, 'concepts'), 'done');
    assert.equal(stateOf(overview, 'wsgi-app'), 'todo');
    assert.equal(plan.steps[firstStepToDo(overview)]?.id, 'wsgi-app');
  });

  it('packages another site or app installed do not count as this person having read the lessons', () => {
    const overview = reconcile(plan, undefined, probes(['packages']));
    assert.equal(stateOf(overview, 'packages'), 'done');
    assert.equal(stateOf(overview, 'concepts'), 'todo');
    assert.equal(stateOf(overview, 'wsgi-spec'), 'todo');
    assert.equal(plan.steps[firstStepToDo(overview)]?.id, 'concepts', 'a first-timer starts with the lesson');
  });

  it('a recorded step whose result has gone is "changed" and comes first', () => {
    const overview = reconcile(
      plan,
      record({ packages: 'done', virtualenv: 'done', 'wsgi-app': 'done', ini: 'done' }),
      probes(['packages', 'virtualenv', 'uwsgi', 'wsgi-app']),
    );
    assert.equal(stateOf(overview, 'ini'), 'changed');
    assert.equal(plan.steps[firstStepToDo(overview)]?.id, 'test-run');
  });

  it('a skipped step stays skipped and is passed over', () => {
    const overview = reconcile(plan, record({ concepts: 'done', 'wsgi-spec': 'skipped' }), probes([]));
    assert.equal(stateOf(overview, 'wsgi-spec'), 'skipped');
    assert.equal(plan.steps[firstStepToDo(overview)]?.id, 'packages');
  });

  it('is complete only when every step is done', () => {
    const everything = plan.steps.filter(canSurvey).map((s) => s.id);
    assert.equal(isComplete(reconcile(plan, undefined, probes(everything))), true);
    assert.equal(isComplete(reconcile(plan, undefined, probes(everything.filter((id) => id !== 'nginx')))), false);
  });

  it('surveys every step that can tell on its own, never the test run', async () => {
    const system = new FakeSystem({ probe: () => true });
    const answers = await surveyMachine(plan, system);
    assert.equal(answers['test-run'], undefined);
    assert.equal(answers.conclusion, true);
    assert.equal(answers.packages, true);
    assert.deepEqual(system.performed, [], 'a survey runs no command and writes no file');
  });

  it('a resumed run starts at the chosen step with what came before', () => {
    const state = initialState(plan, { startAt: ids.indexOf('wsgi-app'), statuses: { packages: 'already-done' } });
    assert.equal(state.plan.steps[state.stepIndex]?.id, 'wsgi-app');
    assert.equal(state.statuses.packages, 'already-done');
    assert.equal(state.phase.kind, 'probing');
  });

  it('a done step chosen again is run, not probed away', () => {
    const state = initialState(plan, { startAt: ids.indexOf('uwsgi'), statuses: {}, redo: true });
    // Its pitfall checks (compiler, headers) come first, then its first command: nothing asks whether it is done.
    assert.deepEqual(state.phase, { kind: 'preflight' });
    assert.deepEqual(reduce(state, { type: 'preflighted', results: [] }).phase, { kind: 'confirm', action: 0 });
  });
});
