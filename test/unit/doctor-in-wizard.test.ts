// The wizard asks the doctor when a step's checks or commands fail (issue 16): the step's doctor layers
// (PlannedStep.doctor) are looked at and the first finding is shown with the failure, on the screen,
// in plain output and in what stays on the terminal; an unattended run ends only once it is known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import { troubleLines } from '../../src/ui/afterwards.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { FINDING } from '../doctor-surveys.js';
import type { Plan } from '../../src/engine/types.js';
import { check, commandAction, FakeSystem, fileAction, planFor, planOf, step } from '../helpers.js';

/** An unattended run whose doctor always finds FINDING: the steps it was asked for, and the run's last states. */
async function runAskingTheDoctor(plan: Plan, fake: FakeSystem) {
  const asked: string[] = [];
  const session = new WizardSession(plan, fake, {
    auto: true,
    pollMs: 2,
    diagnose: async (id) => {
      asked.push(id);
      return FINDING;
    },
  });
  // As the run's end is presented (src/app/present.ts): the last state before it ended.
  let beforeEnd = session.getState();
  session.subscribe((state) => {
    if (state.phase.kind !== 'quit' && state.phase.kind !== 'finished') beforeEnd = state;
  });
  const final = await session.run();
  return { asked, final, beforeEnd };
}

describe('the doctor in the wizard', () => {
  it('the service, nginx and conclusion steps name the layers the doctor looks at; the others none', () => {
    const withDoctor = planFor()
      .steps.filter((s) => s.doctor)
      .map((s) => [s.id, s.doctor?.from, s.doctor?.to]);
    assert.deepEqual(withDoctor, [
      ['service', 'socket', 'uwsgi-request'],
      ['nginx', 'nginx', 'page'],
      ['conclusion', 'nginx', 'page'],
    ]);
  });

  it('a failed check under --yes: the doctor is asked for that step, and the run ends with its finding', async () => {
    const plan = planOf(step('service', { checks: [check('socket')] }));
    const { asked, final, beforeEnd } = await runAskingTheDoctor(plan, new FakeSystem({ probe: () => false }));
    assert.deepEqual(asked, ['service']);
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'failure' });
    assert.deepEqual(beforeEnd.phase, { kind: 'check-failed', diagnosed: true, doctor: FINDING });
  });

  it('a failed command under --yes (nginx -t): the doctor is asked, and the run ends with its finding', async () => {
    const plan = planOf(step('nginx', { actions: [commandAction('nginx-configtest', 'nginx -t')] }));
    const fake = new FakeSystem({ commands: { 'nginx-configtest': { exitCode: 1 } } });
    const { asked, final, beforeEnd } = await runAskingTheDoctor(plan, fake);
    assert.deepEqual(asked, ['nginx']);
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'failure' });
    assert.deepEqual(beforeEnd.phase, {
      kind: 'action-failed',
      action: 0,
      failure: { exitCode: 1, signal: null, timedOut: false },
      diagnosed: true,
      doctor: FINDING,
    });
  });

  it('plain output: the failed command is said once, then the doctor’s finding', async () => {
    const plan = planOf(step('service', { actions: [commandAction('start-service', 'uwsgi --ini myapp.ini')] }));
    const fake = new FakeSystem({ commands: { 'start-service': { exitCode: 1 } } });
    const session = new WizardSession(plan, fake, { auto: true, pollMs: 2, diagnose: async () => FINDING });
    let printed = '';
    session.subscribe(plainPrinter((text) => (printed += text), 'en', session.getState()));
    await session.run();
    assert.equal(printed.match(/✗ The command failed: exit code 1/g)?.length, 1, printed);
    assert.match(
      printed,
      /The doctor looked at the chain:\n.*nginx \(running as www-data\) may not open the socket/,
      printed,
    );
  });

  it('a file that could not be written is not a question for the doctor: its failure says why', async () => {
    const plan = planOf(step('nginx', { actions: [fileAction('write-nginx-site', '/etc/nginx/sites-available/x')] }));
    const { asked, final } = await runAskingTheDoctor(plan, new FakeSystem({ writeError: 'EACCES' }));
    assert.deepEqual(asked, []);
    assert.deepEqual(final.phase, { kind: 'quit', reason: 'failure' });
  });

  it('what stays on the terminal after a failed command holds the doctor’s finding', () => {
    const plan = planOf(step('nginx', { actions: [commandAction('nginx-configtest', 'nginx -t')] }));
    const state = {
      ...new WizardSession(plan, new FakeSystem(), { auto: true }).getState(),
      phase: {
        kind: 'action-failed' as const,
        action: 0,
        failure: { exitCode: 1, signal: null, timedOut: false },
        diagnosed: true,
        doctor: FINDING,
      },
    };
    const lines = troubleLines(state, 'en').join('\n');
    assert.match(lines, /\$ nginx -t/);
    assert.match(lines, /The doctor looked at the chain:/);
    assert.match(lines, /nginx \(running as www-data\) may not open the socket \/run\/myapp\/myapp\.sock\./);
  });

  it('what stays on the terminal after a failed check holds the doctor’s finding and its evidence', () => {
    const plan = planOf(step('service', { checks: [check('socket')] }));
    const state = {
      ...new WizardSession(plan, new FakeSystem(), { auto: true }).getState(),
      phase: { kind: 'check-failed' as const, diagnosed: true, doctor: FINDING },
      checkResults: [{ checkId: 'socket', ok: false, observed: { kind: 'error' as const, message: 'x' } }],
    };
    const lines = troubleLines(state, 'en').join('\n');
    assert.match(lines, /The doctor looked at the chain:/);
    assert.match(lines, /nginx \(running as www-data\) may not open the socket \/run\/myapp\/myapp\.sock\./);
    assert.match(lines, /\/run\/myapp\/myapp\.sock: socket, mode 0755, owner demo, group www-data/);
  });
});
