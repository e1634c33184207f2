// Issue 18 for real: the firewall step with Debian's ufw, its real rules and its real iptables, but in a
// network namespace of its own and with a copy of /etc/ufw of its own, so that this machine's own network is
// never filtered: a `ufw` first on PATH (/usr/local/sbin) runs the real /usr/sbin/ufw there. The wizard runs
// on the host as a person's would, and each `ufw` it runs (its probes too) goes through that one.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or E2E_ALLOW_SYSTEM_CHANGES=1.
// Only names of its own are used (user e2efw, app e2efw, test port 8331, netns e2eufw), all removed afterwards.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertCompleted,
  assertPageAnswers,
  createServiceUser,
  ensurePackageInstalled,
  heading,
  log,
  machineTest,
  must,
  q,
  removeAppsAndUser,
  runWizard,
  STEP_IDS,
  sh,
  summaryStatuses,
  testApp,
} from './machine.js';

const USER = 'e2efw';
const APP = testApp(USER, 'e2efw', 'fw.e2e.test', 8331);
const ANSWERS = [...APP.answers, '--processes', '2'];
const NETNS = 'e2eufw';
const WRAPPER = '/usr/local/sbin/ufw';
/** Written into the wrapper: only a file that says it is ours is ever removed. */
const MARK = '# uwsgi-nginx-guide e2e: ufw in a network namespace of its own';

/** The real ufw, in its namespace, with its own /etc/ufw (as the wrapper runs it). */
function ufw(args: string): string {
  return must(`${WRAPPER} ${args}`);
}

function installUfwInItsOwnNamespace(etcUfw: string): void {
  ensurePackageInstalled('ufw');
  assert.ok(!existsSync(WRAPPER), `${WRAPPER} is there already: not ours to replace`);
  must(`ip netns add ${NETNS}`);
  must(`ip netns exec ${NETNS} ip link set lo up`);
  must(`cp -a /etc/ufw/. ${q(etcUfw)}/`);
  const script = `mount --bind ${q(etcUfw)} /etc/ufw && exec /usr/sbin/ufw "$@"`;
  writeFileSync(
    WRAPPER,
    `#!/bin/sh\n${MARK}\nexec ip netns exec ${NETNS} unshare --mount sh -c ${q(script)} ufw "$@"\n`,
    { mode: 0o755 },
  );
  log(`${WRAPPER}:\n${readFileSync(WRAPPER, 'utf8')}`);
}

function removeUfwNamespace(): void {
  if (existsSync(WRAPPER) && readFileSync(WRAPPER, 'utf8').includes(MARK)) rmSync(WRAPPER);
  if (sh(`ip netns list | grep -qw ${NETNS}`).code === 0) sh(`ip netns del ${NETNS}`);
}

/** The host's own filter rules, which must never change: iptables' and nftables' whole rule sets. */
function hostRules(): string {
  return `${sh('iptables -S').stdout}${sh('ip6tables -S').stdout}${sh('nft list ruleset').stdout}`;
}

machineTest(
  'issue 18: the firewall step with ufw active (in a network namespace of its own): nginx allowed, ssh kept, undo removes only its rule',
  async (t, { dir, stateOf }) => {
    const env = stateOf('fw');
    const etcUfw = join(dir, 'etc-ufw');
    must(`mkdir -m 0755 ${q(etcUfw)}`);
    t.after(async () => {
      removeUfwNamespace();
      await removeAppsAndUser(USER, [APP.name]);
    });
    const before = hostRules();

    heading('ufw, active in its own namespace, letting only ssh in');
    installUfwInItsOwnNamespace(etcUfw);
    ufw('allow 22/tcp');
    ufw('--force enable');
    log(ufw('status verbose'));
    createServiceUser(USER);

    heading('1. --yes --firewall: the whole guide, then ufw opened for nginx');
    const run = await runWizard(['--yes', '--firewall', ...ANSWERS], { env });
    assertCompleted(run, 'the run with --firewall', [...STEP_IDS.slice(0, -1), 'firewall', 'conclusion']);
    assert.match(run.stdout, /\$ ufw status verbose/, "the step shows ufw's status first");
    assert.match(run.stdout, /\$ ufw allow 'Nginx HTTP'/, "and allows nginx's HTTP profile");
    assert.match(run.stdout, /✓ ufw status: "Nginx HTTP" is allowed/, 'proven by ufw status');
    let status = ufw('status');
    log(status);
    assert.match(status, /^Status: active/m, 'ufw is still active');
    assert.match(status, /^Nginx HTTP +ALLOW/m, 'nginx is let in');
    assert.match(status, /^22\/tcp +ALLOW/m, 'ssh still is');
    assertPageAnswers(APP.server);

    heading('2. again: nothing changes');
    const again = await runWizard(['--yes', '--firewall', ...ANSWERS], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(summaryStatuses(again).get('firewall'), 'already done', 'the firewall step is found done');
    assert.doesNotMatch(again.stdout, /\$ ufw allow/, 'no rule is added a second time');
    assert.equal(ufw('status').match(/^Nginx HTTP +ALLOW/gm)?.length, 1, 'one rule for nginx');

    heading('3. ufw switched off: the step is said to be left out, and ufw is not switched on');
    ufw('disable');
    const off = await runWizard(['--yes', '--firewall', ...ANSWERS], { env });
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stderr, /The firewall step is left out: ufw is installed but not active/);
    assert.equal(summaryStatuses(off).has('firewall'), false, 'no firewall step in the run');
    assert.match(ufw('status'), /^Status: inactive/m, 'ufw stays off');
    ufw('--force enable');

    heading('4. undo: the rule the wizard added goes, the person’s stay');
    const undo = await runWizard(['undo', '--yes', ...ANSWERS], { env, prefix: 'undo│ ' });
    assert.equal(undo.code, 0, undo.stderr);
    assert.match(undo.stdout, /allowed Nginx HTTP in the firewall \(ufw\)/, 'undo lists the rule');
    assert.match(undo.stdout, /\$ ufw delete allow 'Nginx HTTP'/, 'and deletes it');
    status = ufw('status');
    log(status);
    assert.match(status, /^Status: active/m, 'ufw is still active');
    assert.doesNotMatch(status, /Nginx HTTP/, 'the rule is gone');
    assert.match(status, /^22\/tcp +ALLOW/m, 'ssh is still let in');

    assert.equal(hostRules(), before, "the host's own firewall rules never changed");
  },
);
