// `doctor` at a terminal (issue 16): the screen, driven as a person would through the command itself
// (runDoctor on fake surroundings, ink drawn by the test renderer): the layers and the findings as a
// list, Enter opening the chosen one's evidence, f showing its fix and y making it through the same
// path as --fix (under the run lock), then the second look drawn; n and Esc making nothing; the
// plain report left behind; and no English sentence of ours in Japanese.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as ink from 'ink';
import { render } from 'ink-testing-library';
import { runDoctor } from '../../src/app/doctor.js';
import type { DoctorSurvey } from '../../src/engine/doctor/survey.js';
import type { Lang } from '../../src/engine/types.js';
import { SOCKET_755, showing, survey } from '../doctor-surveys.js';
import { FakeSystem, sleep, waitFor } from '../helpers.js';
import { englishSentences } from './english-scan.js';
import { typing } from './screen.js';

const FLAGS = { appName: 'myapp', user: 'demo', serverName: 'example.com' };
const KEY = { down: '\x1b[B', up: '\x1b[A', enter: '\r', escape: '\x1b' };
/** What stopping and starting uWSGI print, in the fix's output pane. */
const STOPPED = 'signal 15 sent to the master process';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** runDoctor at a terminal whose machine shows these surveys, its screen in the test renderer. */
async function atTerminal(surveys: DoctorSurvey[], lang: Lang = 'en', more: { fix?: boolean } = {}) {
  const system = new FakeSystem({ commands: { visible: { output: [`${STOPPED}\n`] } } });
  const fake = showing(surveys, { system, stdinIsTTY: true, stdoutIsTTY: true });
  const locks = { taken: 0 };
  const acquire = fake.s.machine.acquireRunLock;
  fake.s.machine.acquireRunLock = (onOrphan) => {
    locks.taken += 1;
    return acquire(onOrphan);
  };
  let mounted: ReturnType<typeof render> | undefined;
  const testRender = (tree: Parameters<typeof render>[0]) => {
    mounted = render(tree);
    unmount = mounted.unmount;
    return { ...mounted, clear: () => undefined };
  };
  fake.s.loadInk = async () => ({ ...ink, render: testRender as unknown as typeof ink.render });
  const exit = runDoctor(fake.s, { ...FLAGS, lang, ...more });
  await waitFor(() => mounted !== undefined, 'the screen');
  const { screen, until, press } = typing(mounted!);
  // ink attaches its input listener after the first render.
  await sleep(20);
  return { ...fake, locks, exit, screen, until, press };
}

/** Two findings at once: headers over 4 KB in uWSGI's log, a body too large in nginx's. */
const TWO_FINDINGS = survey({
  uwsgiLog: ['*** Starting uWSGI 2.0.28 (64bit) on [x] ***', 'invalid request block size: 5369 (max 4096)...skip'],
  nginxLog: [
    '2026/11/24 00:30:06 [error] 1#1: *9 client intended to send too large body: 2097152 bytes, client: 127.0.0.1, ' +
      'server: example.com, request: "POST / HTTP/1.1", host: "example.com"',
  ],
});

describe('the doctor screen', () => {
  it('draws the layers and the findings as a list; Enter opens and closes the chosen one’s evidence', async () => {
    const t = await atTerminal([TWO_FINDINGS]);
    await t.until('Found 2 problems:');
    const first = t.screen();
    assert.equal(first.match(/^ {2}✓ /gm)?.length, 9);
    assert.match(first, /^ {2}✗ the page through nginx answers$/m);
    assert.match(first, /^▶ ✗ nginx refused a request body of 2097152 bytes \(413\)\.$/m);
    assert.match(first, /^ {2}✗ A request's headers \(5369 bytes\)/m);
    assert.doesNotMatch(first, /why: /, 'the evidence waits for Enter');
    assert.match(first, /\[f\] fix it/);

    await t.press(KEY.enter, 'client intended to send too large body');
    assert.match(t.screen(), /why: /);
    // nginx's log line, longer than the terminal, goes on under its text, not at the margin.
    const rows = t.screen().split('\n');
    const logged = rows.findIndex((row) => row.startsWith('       | 2026/11/24 00:30:06 [error]'));
    assert.ok(logged >= 0, t.screen());
    const hung = rows.slice(logged, logged + 3).join('\n');
    assert.match(rows[logged + 1]!, /^ {9}\S/, `its second row hangs under its text:\n${hung}`);
    await t.press(KEY.enter);
    await waitFor(() => !t.screen().includes('why: '), 'the evidence closed');

    await t.press(KEY.down);
    await waitFor(() => /^▶ ✗ A request's headers/m.test(t.screen()), `▶ on the second finding:\n${t.screen()}`);
    await t.press(KEY.enter, 'invalid request block size: 5369');
    assert.doesNotMatch(t.screen(), /client intended to send/, "only the chosen finding's evidence");
    await t.press('q');
    assert.equal(await t.exit, 1);
    assert.deepEqual(t.system.performed, []);
  });

  it('f shows the fix and asks; y makes it under the run lock, shows its output and draws the second look', async () => {
    const t = await atTerminal([SOCKET_755, survey()]);
    await t.until('▶ ✗');
    await t.press('f', 'Make this change?');
    assert.match(t.screen(), /\+chmod-socket = 664/);
    assert.match(t.screen(), /run as root: \$ /);
    assert.deepEqual(t.system.performed, [], 'nothing made before y');
    assert.equal(t.locks.taken, 0);

    await t.press('y');
    await t.until('Healthy:');
    assert.deepEqual(t.system.performed, ['doctor-fix-0', 'visible', 'visible']);
    assert.equal(t.locks.taken, 1);
    assert.equal(t.looks.count, 2);
    const after = t.screen();
    assert.match(after, /The fix was made, and the doctor looked again:/);
    assert.equal(after.match(/✓ /g)?.length, 10);
    assert.match(after, new RegExp(STOPPED));
    assert.match(after, /\[q\] quit/);

    await t.press('q');
    assert.equal(await t.exit, 0);
    // What stays on the terminal: the final report in plain lines.
    assert.match(t.stdout.text, /^Healthy:/m);
  });

  it('doctor --fix at a terminal is the same screen: the list first, f shows the fix, y makes it', async () => {
    const t = await atTerminal([SOCKET_755, survey()], 'en', { fix: true });
    await t.until('▶ ✗');
    assert.match(t.screen(), /\[Enter\] show or hide its evidence {3}\[f\] fix it/);
    assert.deepEqual(t.system.performed, [], 'nothing made before f and y');
    await t.press('f', 'Make this change?');
    await t.press('y', 'Healthy:');
    assert.deepEqual(t.system.performed, ['doctor-fix-0', 'visible', 'visible']);
    await t.press('q');
    assert.equal(await t.exit, 0);
  });

  it('n, or Esc, at the question makes nothing; q leaves the plain report behind', async () => {
    const t = await atTerminal([SOCKET_755]);
    await t.until('▶ ✗');
    await t.press('f', 'Make this change?');
    await t.press('n', '[f] fix it');
    await t.press('f', 'Make this change?');
    await t.press(KEY.escape, '[f] fix it');
    await t.press(KEY.escape);
    assert.equal(await t.exit, 1);
    assert.deepEqual(t.system.performed, []);
    assert.equal(t.locks.taken, 0);
    assert.match(t.stdout.text, /^Found 1 problem:/m);
    assert.match(t.stdout.text, /socket, mode 0755/);
  });

  it('in Japanese: the list, the evidence and the fix have no English sentence of ours', async () => {
    const t = await atTerminal([TWO_FINDINGS, survey()], 'ja');
    await t.until('▶ ✗');
    const seen = [t.screen()];
    await t.press(KEY.enter, '証拠');
    seen.push(t.screen());
    await t.press('f', 'この変更を行いますか?');
    seen.push(t.screen());
    await t.press('y', '正常です');
    seen.push(t.screen());
    await t.press('\x03');
    assert.equal(await t.exit, 0);
    // The evidence is the machine's own words: its paths, the commands the fix runs, the logs' lines
    // (wrapped at the terminal's edge: any part of one) and the program's output.
    const machine = [...TWO_FINDINGS.logs.flatMap((log) => log.lines), STOPPED];
    const ours = seen
      .join('\n')
      .split('\n')
      .filter((line) => !/^[\s│]+(\||\$|\/)/.test(line) && !machine.some((said) => said.includes(line.trim())))
      .map((line) => line.replace(/\$ .*$/, ''));
    assert.deepEqual(englishSentences(ours.join('\n'), machine), []);
  });
});
