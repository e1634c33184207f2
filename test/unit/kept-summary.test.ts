// What stays on the terminal, and in the run's log, once the wizard has ended (issue 21, part 1;
// issue 15, item 1): every step, why the run stopped with what to try, how to run uWSGI from now
// on, and on a machine without a service manager that a reboot ends it, with the command that
// starts it again. Run as use cases with the fakes: the unattended run (--yes) and plain output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { curriculum } from '../../steps/index.js';
import { EXIT } from '../../src/app/common.js';
import { runStatus } from '../../src/app/status.js';
import { runWizard } from '../../src/app/wizard.js';
import { emptyProgress } from '../../src/engine/progress.js';
import { fakeSurroundings } from '../fake-surroundings.js';
import { ANSWERS, FakeSystem } from '../helpers.js';

const FLAGS = { appName: ANSWERS.appName, user: 'demo', serverName: ANSWERS.serverName, lang: 'en' as const };
const LOG = '/state/uwsgi-nginx-guide/run-test.log';

/** A --yes run with the fakes; the transcript is kept for the test. */
async function unattended(system: FakeSystem, flags: Record<string, unknown> = {}) {
  const fake = fakeSurroundings({ system });
  let transcript = '';
  fake.s.machine.openTranscript = () => ({
    path: LOG,
    write: (text) => {
      transcript += text;
    },
    close: async () => undefined,
  });
  const code = await runWizard(fake.s, { ...FLAGS, yes: true, ...flags });
  return { code, stdout: fake.stdout.text, stderr: fake.stderr.text, transcript: () => transcript };
}

/** The part of the output after the steps: the summary. */
const summaryOf = (text: string) => text.slice(text.lastIndexOf(`  ${curriculum[0]!.id.padEnd(11)} `));

describe('the summary a run leaves', () => {
  it('without a service manager: says uWSGI will not come back after a reboot, with the start command', async () => {
    const { code, stdout, transcript } = await unattended(new FakeSystem(), { platform: 'debian-12-noinit' });
    assert.equal(code, EXIT.ok, stdout);
    const summary = summaryOf(stdout);
    assert.match(summary, /Every step has been gone through\./);
    assert.match(summary, /⚠ uWSGI will NOT start again by itself after a reboot: no service manager runs/);
    assert.match(summary, /After each reboot, start it with: .*uwsgi --ini \/home\/demo\/myapp\/myapp\.ini/);
    assert.match(summary, /\n {2}Stop uWSGI: +.*--stop/);
    assert.match(summary, /\n {2}uWSGI log: +tail /);
    assert.match(summary, new RegExp(`log: ${LOG}`));
    assert.ok(transcript().includes(summary.trimEnd()), `the log ends with the same summary:\n${transcript()}`);
  });

  it('with systemd: the commands to stop, start and read the logs, and that systemd starts it again', async () => {
    const { stdout } = await unattended(new FakeSystem(), { platform: 'debian-12' });
    const summary = summaryOf(stdout);
    assert.match(summary, /\n {2}Start uWSGI: +sudo systemctl start myapp\n/);
    assert.match(summary, /\n {2}After a reboot: systemd starts it again/);
    assert.doesNotMatch(summary, /NOT start again/);
  });

  it('a failed command under --yes: the summary says which, why (its output) and the log, as the log does', async () => {
    const system = new FakeSystem({
      probe: () => false,
      commands: { 'apt-install': { exitCode: 100, output: ['E: Unable to locate package uwsgi-plugin-python9\n'] } },
    });
    const { code, stderr, transcript } = await unattended(system, { platform: 'debian-12' });
    assert.equal(code, EXIT.stepFailed);
    const summary = summaryOf(stderr);
    assert.match(summary, /Stopped at a failed step\. \[packages\]/);
    assert.match(summary, /\n {2}✗ The command failed: exit code 100\n {4}\$ .*apt-get/);
    assert.match(summary, /\n {4}\| E: Unable to locate package uwsgi-plugin-python9\n/);
    assert.doesNotMatch(summary, /Start uWSGI/, 'uWSGI was never set up: no commands to run it');
    assert.ok(transcript().includes(summary.trimEnd()), 'the log has the same');
  });

  it('a failed check under --yes: what was expected, what was found, and what to try', async () => {
    // Every command runs, but the machine never shows what the first step's checks look for.
    const { code, stderr } = await unattended(new FakeSystem({ probe: () => false }), { platform: 'debian-12' });
    assert.equal(code, EXIT.stepFailed);
    const summary = summaryOf(stderr);
    assert.match(summary, /\n {2}✗ A check did not pass\n {2}✗ .+\n {6}expected: .+\n {6}found: .+\n {6}try this: .+/);
  });
});

describe('status', () => {
  it('without a service manager, once the service is set up: warns that a reboot ends uWSGI', async () => {
    const done = Object.fromEntries(curriculum.map((step) => [step.id, { state: 'done', at: '2026-01-02T00:00:00Z' }]));
    const progress = { ...emptyProgress(ANSWERS, '2026-01-02T00:00:00Z'), steps: done } as never;
    const noinit = fakeSurroundings({ progress });
    await runStatus(noinit.s, { ...FLAGS, platform: 'debian-12-noinit' });
    assert.match(noinit.stdout.text, /\n⚠ uWSGI will NOT start again by itself after a reboot.*start it with: /);
    const systemd = fakeSurroundings({ progress });
    await runStatus(systemd.s, { ...FLAGS, platform: 'debian-12' });
    assert.doesNotMatch(systemd.stdout.text, /NOT start again/);
  });
});
