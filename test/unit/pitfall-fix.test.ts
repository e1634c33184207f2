// dpkg left half-done (issue 15, item 2): a run killed while dpkg worked leaves apt refusing
// everything ("E: dpkg was interrupted, you must manually run 'dpkg --configure -a'"). The packages
// step's pitfall finds it first (dpkg --audit, dpkg's updates/), says it in both languages, and
// carries its fix: `dpkg --configure -a`, shown and confirmed like the step's own commands (run and
// said under --yes), kept in the run log; then the step goes on. A pitfall not found, or one its
// probe could not look at, offers nothing.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import type { CheckResult, PlannedStep } from '../../src/engine/types.js';
import { actionAt, initialState, reduce, type WizardEvent, type WizardState } from '../../src/engine/wizard.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { mountScreen } from '../ui/screen.js';
import { commandSaw, debian12, FakeSystem, planFor, planOf, probeName } from '../helpers.js';

const packagesOf = (runningAs = 'root'): PlannedStep =>
  planFor({ platform: debian12(), runningAs }).steps.find((s) => s.id === 'packages')!;
const PACKAGES = packagesOf();
const pitfall = PACKAGES.preflight!.find((c) => c.id === 'dpkg-unfinished')!;
const AUDIT =
  'The following packages are only half configured, probably due to problems\nconfiguring them the first time.';

function play(state: WizardState, ...events: WizardEvent[]): WizardState {
  return events.reduce(reduce, state);
}
const result = (ok: boolean, observed: CheckResult['observed'] = commandSaw(ok ? 0 : 1, AUDIT)): CheckResult => ({
  checkId: 'dpkg-unfinished',
  ok,
  observed,
});
const confirmed = (state: WizardState) => {
  const { phase } = state;
  assert.equal(phase.kind, 'confirm');
  const action = phase.kind === 'confirm' ? actionAt(state, PACKAGES, phase.action) : undefined;
  return action?.kind === 'command' ? action.command : action?.id;
};

describe("the packages step's pitfall: dpkg left half-done", () => {
  it('is asked before apt, and carries dpkg --configure -a as its fix (with sudo when not root)', () => {
    assert.match(pitfall.probe.kind === 'command' ? pitfall.probe.command : '', /dpkg --audit/);
    assert.equal(pitfall.fix?.command, 'DEBIAN_FRONTEND=noninteractive dpkg --configure -a');
    const asAdmin = packagesOf('admin').preflight!.find((c) => c.id === 'dpkg-unfinished')!;
    assert.equal(asAdmin.fix?.command, 'sudo DEBIAN_FRONTEND=noninteractive dpkg --configure -a');
    assert.match(asAdmin.tryThis.en, /`sudo dpkg --configure -a`/);
    assert.match(asAdmin.tryThis.ja, /`sudo dpkg --configure -a`/);
  });

  it('found: the fix is offered first, then the step goes on with its own commands', () => {
    const start = initialState(planOf({ ...PACKAGES, probeBeforeRun: false }));
    assert.equal(start.phase.kind, 'preflight');
    const found = play(start, { type: 'preflighted', results: [result(false)] });
    assert.equal(confirmed(found), 'DEBIAN_FRONTEND=noninteractive dpkg --configure -a');
    const ran = play(found, { type: 'continue', at: 1 }, { type: 'action-finished', ok: true, durationMs: 10 });
    assert.equal(confirmed(ran), 'apt-get update');
  });

  it('not found, or not looked at (an error, a simulation without the answer): nothing is offered', () => {
    const start = initialState(planOf({ ...PACKAGES, probeBeforeRun: false }));
    for (const answer of [
      result(true, commandSaw(0)),
      result(false, { kind: 'error', message: 'spawn /bin/sh ENOENT' }),
      result(false, { kind: 'unrecorded' }),
    ])
      assert.equal(confirmed(play(start, { type: 'preflighted', results: [answer] })), 'apt-get update');
  });
});

describe('a run that finds dpkg half-done', () => {
  let unmount: (() => void) | undefined;
  afterEach(() => unmount?.());

  /** dpkg is half-done until its fix ran; the packages are installed once apt ran. */
  function machine(): FakeSystem {
    const fake: FakeSystem = new FakeSystem({
      probe: (name) => {
        if (name === probeName(pitfall.probe))
          return fake.performed.includes('dpkg-configure-pending')
            ? { ok: true, observed: commandSaw(0) }
            : { ok: false, observed: commandSaw(1, AUDIT) };
        return fake.performed.includes('apt-install');
      },
    });
    return fake;
  }

  it('unattended (--yes): runs the fix, says so, keeps it in the run log, and the step is done', async () => {
    const fake = machine();
    const log: string[] = [];
    const session = new WizardSession(planOf(PACKAGES), fake, {
      auto: true,
      pollMs: 1,
      transcript: { write: (text) => log.push(text) },
    });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
    const final = await session.run();
    assert.equal(final.statuses.packages, 'done');
    assert.deepEqual(fake.performed.slice(0, 3), ['dpkg-configure-pending', 'apt-update', 'apt-install']);
    const out = printed.join('');
    assert.match(out, /⚠ .*dpkg has work left unfinished: an earlier apt or dpkg was cut off in the middle/);
    assert.match(out, /what happens: An earlier apt or dpkg was cut off in the middle \("dpkg was interrupted"\)/);
    assert.ok(
      out.indexOf('$ DEBIAN_FRONTEND=noninteractive dpkg --configure -a') < out.indexOf('$ apt-get update'),
      out,
    );
    const transcript = log.join('');
    assert.match(transcript, /before WARN dpkg-unfinished: .*only half configured/);
    assert.match(transcript, /== \[packages\] \$ DEBIAN_FRONTEND=noninteractive dpkg --configure -a/);
  });

  it('in Japanese, the warning and what happens are said in Japanese', async () => {
    const fake = machine();
    const session = new WizardSession(planOf(PACKAGES), fake, { auto: true, pollMs: 1 });
    const printed: string[] = [];
    session.subscribe(plainPrinter((text) => printed.push(text), 'ja', session.getState()));
    await session.run();
    assert.match(printed.join(''), /dpkg にやりかけの作業が残っています/);
    assert.match(printed.join(''), /以前の apt か dpkg が途中で止められています/);
  });

  it('on the screen: the fix is shown as the first command, confirmed with Enter, then apt follows', async () => {
    const fake = machine();
    const mounted = await mountScreen(new WizardSession(planOf(PACKAGES), fake, { auto: false, pollMs: 2 }));
    unmount = mounted.unmount;
    const { until, press, screen } = mounted;
    await until('[Enter] run it');
    assert.match(screen(), /dpkg has work left unfinished/);
    assert.match(screen(), /Command 1 of 3 — Let dpkg finish what an interrupted run left half-done/);
    assert.match(screen(), /\$ DEBIAN_FRONTEND=noninteractive dpkg --configure -a/);
    assert.deepEqual(fake.performed, [], 'nothing runs before the person confirms');
    await press('\r', 'Command 2 of 3');
    assert.deepEqual(fake.performed, ['dpkg-configure-pending']);
    assert.match(screen(), /\$ apt-get update/);
  });
});
