// `doctor` as a command (issue 16), on fake surroundings and surveys made from the wizard's files:
// its exit codes (0 healthy, 1 something wrong, 2 a --fix it may not make), nothing changed without
// --fix, the fix made through the machine's System with --fix --yes and the machine looked at again,
// JSON alone on stdout, and its words in Japanese.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeOf, runDoctor } from '../../src/app/doctor.js';
import { SOCKET_755, showing, survey } from '../doctor-surveys.js';
import { debian12, makeContext } from '../helpers.js';
import { englishSentences } from '../ui/english-scan.js';

const FLAGS = { appName: 'myapp', user: 'demo', serverName: 'example.com', lang: 'en' as const };

describe('the doctor command', () => {
  it('healthy: exit 0, every layer ticked, nothing run or written', async () => {
    const { s, stdout, system } = showing([survey()]);
    assert.equal(await runDoctor(s, FLAGS), 0);
    assert.match(stdout.text, /^Healthy:/m);
    assert.equal(stdout.text.match(/^ {2}✓ /gm)?.length, 10);
    assert.deepEqual(system.performed, []);
  });

  it('something wrong, without --fix: exit 1, the finding with its evidence and fix named, nothing changed', async () => {
    const { s, stdout, system } = showing([SOCKET_755]);
    assert.equal(await runDoctor(s, FLAGS), 1);
    assert.match(stdout.text, /nginx \(running as www-data\) may not open the socket \/run\/myapp\/myapp\.sock/);
    assert.match(stdout.text, /\/run\/myapp\/myapp\.sock: socket, mode 0755, owner demo, group www-data/);
    assert.match(stdout.text, /doctor --fix/);
    assert.deepEqual(system.performed, []);
  });

  it('--fix with no terminal and no --yes: refused, exit 2, the machine not even looked at', async () => {
    const { s, stderr, system, looks } = showing([SOCKET_755], { stdinIsTTY: false });
    assert.equal(await runDoctor(s, { ...FLAGS, fix: true }), 2);
    assert.match(stderr.text, /add --yes/);
    assert.equal(looks.count, 0);
    assert.deepEqual(system.performed, []);
  });

  it('--fix --yes: the ini written, uWSGI stopped and started, looked at again, healthy: exit 0', async () => {
    const { s, stdout, system, looks } = showing([SOCKET_755, survey()]);
    assert.equal(await runDoctor(s, { ...FLAGS, fix: true, yes: true }), 0);
    assert.deepEqual(system.performed, ['doctor-fix-0', 'visible', 'visible']);
    assert.equal(looks.count, 2);
    assert.match(stdout.text, /\+chmod-socket = 664/);
    assert.match(stdout.text, /^Healthy:/m);
  });

  it('--fix asked on a terminal and declined: nothing changed, exit 1', async () => {
    const { s, system } = showing([SOCKET_755], { stdinIsTTY: true, answers: { confirm: [false] } });
    assert.equal(await runDoctor(s, { ...FLAGS, fix: true }), 1);
    assert.deepEqual(system.performed, []);
  });

  it('--json: the report alone on stdout, as data', async () => {
    const { s, stdout } = showing([SOCKET_755]);
    assert.equal(await runDoctor(s, { ...FLAGS, json: true }), 1);
    const report = JSON.parse(stdout.text) as { healthy: boolean; findings: { cause: string }[] };
    assert.equal(report.healthy, false);
    assert.equal(report.findings[0]?.cause, 'permission');
  });

  it('in Japanese: the report has no English sentence of ours', async () => {
    const { s, stdout } = showing([SOCKET_755]);
    await runDoctor(s, { ...FLAGS, lang: 'ja' });
    // The evidence is the machine's own words (paths, log lines, commands): only our sentences count.
    const ours = stdout.text.split('\n').filter((line) => !/^\s+(\||\$|\/)/.test(line));
    assert.deepEqual(englishSentences(ours.join('\n'), []), []);
  });

  it("without a service manager, a fix's restart waits for the old uWSGI to exit before starting the new one", () => {
    // Exiting, the old master removes the pidfile (vacuum): were the new one started first, it would lose its own.
    const place = placeOf(makeContext({ platform: debian12('none') }), true);
    assert.match(place.stop, /--stop \/run\/myapp\/myapp\.pid && while kill -0 "\$pid"/);
    assert.doesNotMatch(place.stop, /^sudo /);
  });
});
