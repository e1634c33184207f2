// --simulate at the screen: the banner on every frame, and the recorded 502 walked through as a
// class would: the evidence first, [e] for the cause and its fix, [r] to check again and go on.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { WizardSession } from '../../src/engine/session.js';
import { StackMonitor } from '../../src/engine/stack.js';
import { fastClock } from '../../src/simulate/simulated-system.js';
import { loadRecording, startSimulation } from '../../src/simulate/simulation.js';
import { App } from '../../src/ui/App.js';
import { plain, sleep, waitFor } from '../helpers.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('the simulation on the screen', () => {
  it('says it is a simulation on every frame, and lets the class find the 502, see its fix, retry and go on', async () => {
    const simulation = startSimulation(loadRecording(), { maxActionMs: 5 });
    const session = new WizardSession(simulation.plan, simulation.system, {
      auto: false,
      pollMs: 5,
      now: fastClock(50),
    });
    simulation.follow(session);
    const stack = new StackMonitor(simulation.plan, simulation.system);
    stack.follow(session);
    const instance = render(
      <App session={session} lang="en" auto={false} stack={stack} simulation={simulation.info} />,
    );
    unmount = instance.unmount;
    void session.run();
    const screen = () => plain(instance.lastFrame());
    await sleep(20);

    // Enter at each command and lesson, as a person would, until the nginx step's check fails.
    const deadline = Date.now() + 20_000;
    let sawServing = false;
    while (!screen().includes('A check did not pass')) {
      // The test server "serves" as recorded, but nothing answers at its address here: the screen must not invite a
      // browser to it.
      if (
        /serving, as recorded \(a simulation: nothing answers at this address here\):\s+http:\/\/hello.example.com:8080\//.test(
          screen(),
        )
      )
        sawServing = true;
      assert.doesNotMatch(screen(), /open it in your browser too/);
      assert.ok(Date.now() < deadline, `the nginx check never failed; screen:\n${screen()}`);
      assert.match(
        screen(),
        /SIMULATION · シミュレーション — a real run recorded 2026-\d\d-\d\d on the machine below, replayed/,
      );
      if (/\[Enter\]/.test(screen())) instance.stdin.write('\r');
      await sleep(15);
    }
    assert.ok(sawServing, 'the test run served, as recorded');
    assert.match(screen(), /Step 10 of 11 · Put nginx in front of uWSGI/);
    assert.match(screen(), /found: HTTP 502/);
    assert.match(
      screen(),
      /stack: browser ─▶ nginx ● ─▶ socket ✗ mode 664, group sammy ─▶ uWSGI ● 5 workers ─▶ app ✗ 502/,
    );
    assert.match(screen(), /In the recorded run, nginx's error log said:/);
    assert.match(screen(), /\(13: Permission denied\)/);
    assert.doesNotMatch(screen(), /chgrp www-data/, 'the fix is not given away before [e]');

    instance.stdin.write('e');
    await waitFor(() => screen().includes('chgrp www-data'), `the fix after [e]:\n${screen()}`);
    assert.match(screen(), /was given the group sammy on purpose/);

    instance.stdin.write('r');
    await waitFor(() => screen().includes('Step 11 of 11'), `the conclusion after [r]:\n${screen()}`);
    await waitFor(() => screen().includes('app ● 200'), `the whole stack alive:\n${screen()}`);
    assert.match(screen(), /✓ Put nginx in front of uWSGI \[nginx\] done/);
  });
});
