// The pure state machine: each event moves the wizard exactly as the person and the machine
// would expect, with no I/O involved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialState, reduce, type WizardEvent, type WizardState } from '../../src/engine/wizard.js';
import type { CheckResult } from '../../src/engine/types.js';
import { check, commandAction, commandSaw, planOf, step } from '../helpers.js';

const ok = (checkId: string): CheckResult => ({
  checkId,
  ok: true,
  observed: commandSaw(0),
});
const bad = (checkId: string): CheckResult => ({
  checkId,
  ok: false,
  observed: commandSaw(1),
});

function play(state: WizardState, ...events: WizardEvent[]): WizardState {
  return events.reduce(reduce, state);
}

/** packages: probed first, two commands, one check. virtualenv: one command, one check. conclusion: a lesson. */
const plan = planOf(
  step('packages', {
    probeBeforeRun: true,
    actions: [commandAction('apt-update', 'apt-get update'), commandAction('apt-install', 'apt-get install -y nginx')],
    checks: [check('installed')],
  }),
  step('virtualenv', { actions: [commandAction('mkdir', 'mkdir -p /home/demo/myapp')], checks: [check('venv')] }),
  step('conclusion', {}),
);

describe('reduce', () => {
  it('starts with every step to do, probing the first step that can be asked ahead', () => {
    const state = initialState(plan);
    assert.deepEqual(state.phase, { kind: 'probing' });
    assert.equal(state.stepIndex, 0);
    assert.deepEqual(state.statuses, { packages: 'todo', virtualenv: 'todo', conclusion: 'todo' });
  });

  it('a step whose checks already pass when probed is marked already-done and the next step begins', () => {
    const state = play(initialState(plan), { type: 'probed', results: [ok('installed')] });
    assert.equal(state.statuses.packages, 'already-done');
    assert.deepEqual(state.proofs.packages, [ok('installed')]);
    assert.equal(state.stepIndex, 1);
    assert.deepEqual(state.phase, { kind: 'confirm', action: 0 });
  });

  it('a failed probe leads to confirming the first action', () => {
    const state = play(initialState(plan), { type: 'probed', results: [bad('installed')] });
    assert.deepEqual(state.phase, { kind: 'confirm', action: 0 });
    assert.equal(state.statuses.packages, 'todo');
  });

  it('confirm → running → next action → checking → checked ok → next step, step done', () => {
    let state = play(initialState(plan), { type: 'probed', results: [bad('installed')] });
    state = play(state, { type: 'continue', at: 1000 });
    assert.deepEqual(state.phase, { kind: 'running', action: 0, startedAt: 1000 });

    state = play(
      state,
      { type: 'output', text: 'Hit:1 http://deb.debian.org\n' },
      { type: 'action-finished', ok: true, durationMs: 1500 },
    );
    assert.deepEqual(state.phase, { kind: 'confirm', action: 1 });
    assert.deepEqual(state.completedActions, [{ action: 0, skipped: false, durationMs: 1500 }]);
    assert.deepEqual(
      state.output.lines,
      ['Hit:1 http://deb.debian.org'],
      'the last output stays visible while confirming the next action',
    );

    state = play(state, { type: 'continue', at: 3000 });
    assert.deepEqual(state.phase, { kind: 'running', action: 1, startedAt: 3000 });
    assert.deepEqual(state.output.lines, [], 'a new command starts with an empty pane');

    state = play(state, { type: 'action-finished', ok: true, durationMs: 10 });
    assert.deepEqual(state.phase, { kind: 'checking' });

    state = play(state, { type: 'checked', results: [ok('installed')] });
    assert.equal(state.statuses.packages, 'done');
    assert.deepEqual(state.proofs.packages, [ok('installed')]);
    assert.equal(state.stepIndex, 1);
    assert.deepEqual(state.phase, { kind: 'confirm', action: 0 });
    assert.deepEqual(state.completedActions, [], 'the next step starts with no actions listed');
  });

  it('skipping one action runs the rest but ends the step as skipped, without checking it', () => {
    let state = play(initialState(plan), { type: 'probed', results: [bad('installed')] }, { type: 'skip' });
    assert.deepEqual(state.phase, { kind: 'confirm', action: 1 });
    assert.deepEqual(state.completedActions, [{ action: 0, skipped: true }]);

    state = play(state, { type: 'continue', at: 1 }, { type: 'action-finished', ok: true });
    assert.equal(state.statuses.packages, 'skipped');
    assert.notEqual(state.statuses.packages, 'done');
    assert.equal(state.stepIndex, 1);
  });

  it('a failed action shows action-failed with its failure; retry runs it again', () => {
    const failure = { exitCode: 100, signal: null, timedOut: false };
    let state = play(
      initialState(plan),
      { type: 'probed', results: [bad('installed')] },
      { type: 'continue', at: 1 },
      { type: 'action-finished', ok: false, failure },
    );
    assert.deepEqual(state.phase, { kind: 'action-failed', action: 0, failure });
    assert.equal(state.statuses.packages, 'todo');

    state = play(state, { type: 'retry', at: 50 });
    assert.deepEqual(state.phase, { kind: 'running', action: 0, startedAt: 50 });
  });

  it('skip after a failed action moves on and the step ends skipped', () => {
    const state = play(
      initialState(plan),
      { type: 'probed', results: [bad('installed')] },
      { type: 'continue', at: 1 },
      { type: 'action-finished', ok: false },
      { type: 'skip' },
      { type: 'continue', at: 2 },
      { type: 'action-finished', ok: true },
    );
    assert.equal(state.statuses.packages, 'skipped');
  });

  describe('after a failed check', () => {
    const failedCheck = (): WizardState =>
      play(
        initialState(plan),
        { type: 'probed', results: [bad('installed')] },
        { type: 'continue', at: 1 },
        { type: 'action-finished', ok: true, durationMs: 5 },
        { type: 'continue', at: 2 },
        { type: 'action-finished', ok: true, durationMs: 5 },
        { type: 'checked', results: [bad('installed')] },
      );

    it('shows check-failed with the results', () => {
      const state = failedCheck();
      assert.deepEqual(state.phase, { kind: 'check-failed' });
      assert.deepEqual(state.checkResults, [bad('installed')]);
    });

    it('retry asks the checks again', () => {
      const state = play(failedCheck(), { type: 'retry', at: 3 });
      assert.deepEqual(state.phase, { kind: 'checking' });
      assert.equal(play(state, { type: 'checked', results: [ok('installed')] }).statuses.packages, 'done');
    });

    it('redo goes back to the first action with the step record cleared', () => {
      const state = play(failedCheck(), { type: 'redo' });
      assert.deepEqual(state.phase, { kind: 'confirm', action: 0 });
      assert.deepEqual(state.completedActions, []);
      assert.deepEqual(state.checkResults, []);
      assert.equal(state.stepIndex, 0);
    });

    it('skip ends the step as skipped', () => {
      const state = play(failedCheck(), { type: 'skip' });
      assert.equal(state.statuses.packages, 'skipped');
      assert.equal(state.stepIndex, 1);
    });
  });

  it('quit while a command runs first stops it; its end then quits, without marking the step failed', () => {
    let state = play(
      initialState(plan),
      { type: 'probed', results: [bad('installed')] },
      { type: 'continue', at: 1 },
      { type: 'quit', at: 5 },
    );
    assert.deepEqual(state.phase, { kind: 'stopping', action: 0, since: 5, asked: 1 });
    const again = play(state, { type: 'quit', at: 9 });
    assert.deepEqual(
      again.phase,
      { kind: 'stopping', action: 0, since: 5, asked: 2 },
      'a second quit while stopping is counted (the screen explains again), the stop under way and its start kept',
    );
    assert.equal(again.stepIndex, state.stepIndex);
    state = again;

    state = play(state, {
      type: 'action-finished',
      ok: false,
      failure: { exitCode: null, signal: 'SIGINT', timedOut: false },
    });
    assert.deepEqual(state.phase, { kind: 'quit', reason: 'user' });
    assert.equal(state.statuses.packages, 'todo');
  });

  it('quit with reason failure marks the current step failed; a plain quit does not', () => {
    const atVirtualenv = play(
      initialState(plan),
      { type: 'probed', results: [bad('installed')] },
      { type: 'skip' },
      { type: 'skip' },
    );
    // Skipping both actions finished packages; virtualenv is current.
    assert.equal(atVirtualenv.stepIndex, 1);
    const failed = play(atVirtualenv, { type: 'quit', reason: 'failure' });
    assert.deepEqual(failed.phase, { kind: 'quit', reason: 'failure' });
    assert.equal(failed.statuses.virtualenv, 'failed');

    const quit = play(atVirtualenv, { type: 'quit' });
    assert.deepEqual(quit.phase, { kind: 'quit', reason: 'user' });
    assert.equal(quit.statuses.virtualenv, 'todo');
  });

  it('a lesson waits in reading; continue finishes it as done, and the last step ends the run', () => {
    let state = play(initialState(plan), { type: 'probed', results: [ok('installed')] }, { type: 'skip' });
    assert.equal(state.stepIndex, 2);
    assert.deepEqual(state.phase, { kind: 'reading' });
    state = play(state, { type: 'continue', at: 1 });
    assert.equal(state.statuses.conclusion, 'done');
    assert.deepEqual(state.phase, { kind: 'finished' });
    assert.equal(state.stepIndex, plan.steps.length);
  });

  it('a lesson with a check is checked after reading', () => {
    const lessonPlan = planOf(step('conclusion', { checks: [check('final-page')] }));
    const state = play(initialState(lessonPlan), { type: 'continue', at: 1 });
    assert.deepEqual(state.phase, { kind: 'checking' });
  });

  it('once the run is over, no event changes the state', () => {
    const quit = play(initialState(plan), { type: 'quit' });
    for (const event of [
      { type: 'continue', at: 1 },
      { type: 'skip' },
      { type: 'output', text: 'late\n' },
      { type: 'probed', results: [] },
    ] as WizardEvent[]) {
      assert.equal(reduce(quit, event), quit, event.type);
    }
  });

  it('events that do not belong to the phase are ignored', () => {
    const probing = initialState(plan);
    assert.equal(reduce(probing, { type: 'continue', at: 1 }), probing);
    assert.equal(reduce(probing, { type: 'checked', results: [ok('installed')] }), probing);
    assert.equal(reduce(probing, { type: 'action-finished', ok: true }), probing);
  });
});
