// Issue 18 at the screen: a pitfall that would make the certificate authority refuse stops the HTTPS step before
// certbot, in its own sentence (not the command that looked for it), and r asks it again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WizardSession } from '../../src/engine/session.js';
import { FakeSystem, makeContext, planFor, planOf } from '../helpers.js';
import { mountScreen } from './screen.js';

const HTTPS = { https: { email: 'admin@example.com' } };

describe('the HTTPS step stopped by a pitfall, at the screen', () => {
  it('says why in plain words, runs nothing, and r asks again', async () => {
    let elsewhere = true;
    const fake = new FakeSystem({
      probe: (_name, asked, probe) => {
        const line = probe.kind === 'command' ? probe.command : '';
        if (line.includes('getent ahosts') && line.includes('hostname -I'))
          return { ok: !elsewhere, observed: { kind: 'command', exitCode: 1, output: ['192.0.2.10'] } };
        if (['getent ahosts', 'ufw status', "grep -F 'server_name"].some((part) => line.includes(part))) return true;
        return asked > 0 && !elsewhere;
      },
    });
    const step = planFor({ chosen: HTTPS }).steps.find((s) => s.id === 'https')!;
    const session = new WizardSession(planOf(step), fake, { auto: false, pollMs: 2, undoContext: makeContext() });
    const { until, press, screen, unmount } = await mountScreen(session, {}, 140);
    await until('A check did not pass');
    const stopped = screen();
    assert.ok(stopped.includes('✗ example.com leads to this server'), stopped);
    assert.ok(stopped.includes('found: example.com resolves to 192.0.2.10, which is not this server'), stopped);
    assert.ok(!stopped.includes('expected:'), `not the command that looked:\n${stopped}`);
    assert.ok(stopped.includes("try this: Nothing was changed. Point the name's DNS record"), stopped);
    assert.deepEqual(fake.performed, [], 'nothing ran');
    elsewhere = false;
    await press('r', '[Enter] run it');
    assert.ok(screen().includes('Command 1 of 5'), screen());
    unmount();
  });
});
