// Issue 18 on a real server: the firewall step with Debian's ufw guarding a booted Debian 12 guest
// (systemd as PID 1, its own network namespace: ufw's iptables filter only the guest). An admin has
// installed ufw and allowed OpenSSH, as the guide's readers have; the standalone wizard is run by an
// account that may sudo without a password (plain output, no terminal), and everything is proven from
// the host, as the people reaching the server would see it:
//   off     ufw installed but not active: --firewall leaves the step out and ufw stays off
//   on      the admin enables ufw: port 80 is no longer reachable from the host, ssh still is
//   open    --firewall again: "Nginx HTTP" added, ufw still active, a new ssh login works, the page
//           answers from the host through ufw
//   undo    exactly the rule the wizard added is gone (the admin's OpenSSH stays), ssh still works
// Run alone: npm run build && E2E_ALLOW_SYSTEM_CHANGES=1 flock /tmp/machine.lock \
//   node --test --test-reporter=spec dist/test/vm/firewall.test.js
import assert from 'node:assert/strict';
import { log } from '../e2e/machine.js';
import { timed, vmTest, type Guest } from './guest.js';
import { answersFor, assertPage, bookwormWithWizard, pageFromHost, wizardIn } from './page.js';

const ADMIN = 'cy';
const SITE = { app: 'gate', server: 'gate.test' };
const ANSWERS = answersFor(ADMIN, SITE.app, SITE.server, 8093);

/** `ufw status` as root in the guest. */
function ufwStatus(guest: Guest): Promise<string> {
  return guest.must('ufw status', { quiet: true });
}

/** The rules of `ufw status`, one line each, spaces squeezed: "OpenSSH ALLOW Anywhere". */
function rules(status: string): string[] {
  const table = status.split(/^-+ +-+ +-+ *$/m)[1] ?? '';
  return table
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

/** A new ssh login (each guest.run is its own connection): the person is not shut out. */
async function assertSshLogin(guest: Guest, when: string): Promise<void> {
  const login = await guest.run('echo in', { user: ADMIN, quiet: true, timeoutMs: 20_000 });
  assert.equal(login.code, 0, `a new ssh login ${when}: ${login.stderr}`);
  assert.equal(login.stdout.trim(), 'in');
}

vmTest(
  'bookworm: the firewall step with ufw active lets nginx in, keeps ssh, never switches ufw on, and is undone',
  async (t) => {
    const started = Date.now();
    const guest = await bookwormWithWizard(t, ADMIN);

    // --- what the admin did: ufw installed, ssh allowed, not (yet) enabled -------------------------
    await timed('apt-get install ufw', () =>
      guest.must('apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw', {
        timeoutMs: 5 * 60_000,
        quiet: true,
      }),
    );
    await guest.must('ufw allow OpenSSH');
    assert.match(await ufwStatus(guest), /^Status: inactive/m);

    // --- off: the step is left out, and ufw stays off ----------------------------------------------
    const off = await wizardIn(guest, ADMIN, `--yes --firewall ${ANSWERS}`, 'fresh run, ufw inactive', {
      limitMs: 25 * 60_000,
    });
    assert.match(off.stderr, /The firewall step is left out: ufw is installed but not active/);
    assert.doesNotMatch(off.stdout, /\[firewall\]|\$ ufw allow/, 'no firewall step runs');
    assert.match(await ufwStatus(guest), /^Status: inactive/m, 'ufw is still off');
    assert.equal((await guest.run('iptables -S INPUT', { quiet: true })).stdout.trim(), '-P INPUT ACCEPT');
    await assertPage(guest, SITE.server);

    // --- on: the admin enables ufw; from the host port 80 is shut, ssh is not ------------------------
    await guest.must('ufw --force enable');
    const admins = await ufwStatus(guest);
    log(admins);
    assert.match(admins, /^Status: active/m);
    assert.deepEqual(rules(admins), ['OpenSSH ALLOW Anywhere', 'OpenSSH (v6) ALLOW Anywhere (v6)']);
    const shut = await pageFromHost(guest, SITE.server);
    log(`GET http://${guest.address}/ with ufw on and no rule for nginx → ${shut.status} ${shut.body}`);
    assert.equal(shut.status, 0, 'ufw drops port 80 before the step');
    await assertSshLogin(guest, 'once ufw is on');

    // --- open: the firewall step ------------------------------------------------------------------
    const open = await wizardIn(guest, ADMIN, `--yes --firewall ${ANSWERS}`, 'run with ufw active', {
      limitMs: 10 * 60_000,
    });
    assert.match(open.stdout, /✓ ufw lets ssh in/, "the admin's ssh rule is seen before anything changes");
    assert.match(open.stdout, /\$ sudo ufw status verbose/, "the step shows ufw's status first");
    assert.match(open.stdout, /\$ sudo ufw allow 'Nginx HTTP'/, "and allows nginx's HTTP profile");
    assert.match(open.stdout, /✓ ufw status: "Nginx HTTP" is allowed/, 'proven by ufw status');
    assert.match(open.stdout, /✓ \[firewall\] done/);
    const opened = await ufwStatus(guest);
    log(opened);
    assert.match(opened, /^Status: active/m, 'ufw is still active');
    assert.deepEqual(rules(opened), [
      'OpenSSH ALLOW Anywhere',
      'Nginx HTTP ALLOW Anywhere',
      'OpenSSH (v6) ALLOW Anywhere (v6)',
      'Nginx HTTP (v6) ALLOW Anywhere (v6)',
    ]);
    await assertSshLogin(guest, 'after the firewall step');
    await assertPage(guest, SITE.server);

    // --- undo: only the wizard's rule goes ----------------------------------------------------------
    const undo = await wizardIn(guest, ADMIN, `undo --yes --lang en --app-name ${SITE.app} --user ${ADMIN}`, 'undo', {
      limitMs: 5 * 60_000,
    });
    assert.match(undo.stdout, /\$ sudo ufw delete allow 'Nginx HTTP'/, 'undo deletes the rule it added');
    const after = await ufwStatus(guest);
    log(after);
    assert.match(after, /^Status: active/m, 'ufw is still active');
    assert.deepEqual(rules(after), rules(admins), "the admin's rules, and only those, are left");
    await assertSshLogin(guest, 'after undo');
    log(`the whole firewall run in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
  { timeout: 40 * 60_000 },
);
