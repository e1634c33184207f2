// The wizard run by an account that is not root (issue 13): a password asked once, before the
// screen, then every command's sudo works although the commands have no terminal; an account
// with NOPASSWD for root only works too. Real accounts, a real sudo and its sudoers rules.
import assert from 'node:assert/strict';
import { writeFileSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import {
  CLI,
  PROJECT,
  heading,
  log,
  machineTest,
  must,
  printScreen,
  q,
  refusal,
  removeUser,
  sh,
  Tmux,
} from './machine.js';

const WITH_PASSWORD = 'e2esudopw';
const NO_PASSWORD = 'e2esudonp';
/** Has a password, and no sudoers rule at all. */
const NOT_ALLOWED = 'e2esudono';
const PASSWORD = 'Correct horse 7';
const SUDOERS: Record<string, string> = {
  [WITH_PASSWORD]: `${WITH_PASSWORD} ALL=(ALL:ALL) ALL\n`,
  [NO_PASSWORD]: `${NO_PASSWORD} ALL=NOPASSWD: ALL\n`,
};

function sudoersFile(user: string): string {
  return `/etc/sudoers.d/${user}`;
}

async function removeAccounts(): Promise<void> {
  for (const user of [WITH_PASSWORD, NO_PASSWORD, NOT_ALLOWED]) {
    rmSync(sudoersFile(user), { force: true });
    await removeUser(user);
  }
}

if (!refusal()) {
  before(async () => {
    if (sh('command -v sudo').code !== 0) must('apt-get install -y --no-install-recommends sudo', 300_000);
    await removeAccounts();
    for (const user of [WITH_PASSWORD, NO_PASSWORD]) {
      must(`adduser --disabled-password --gecos "" ${q(user)}`);
      must(`chmod 700 /home/${user}`);
      writeFileSync(sudoersFile(user), SUDOERS[user], { mode: 0o440 });
      must(`visudo -cf ${q(sudoersFile(user))}`);
    }
    must(`adduser --disabled-password --gecos "" ${q(NOT_ALLOWED)}`);
    must(`printf '%s\\n' ${q(`${WITH_PASSWORD}:${PASSWORD}`)} ${q(`${NOT_ALLOWED}:${PASSWORD}`)} | chpasswd`);
  });
  after(removeAccounts);
}

/** Run a Node script as `user`, without a terminal, in its own session (as the wizard's commands run). */
function nodeAs(user: string, script: string): { code: number | null; stdout: string; stderr: string } {
  const file = join('/tmp', `${user}-sudo-check.mjs`);
  writeFileSync(file, script, { mode: 0o644 });
  try {
    return sh(`setsid -w runuser -u ${q(user)} -- ${q(process.execPath)} ${q(file)} </dev/null`, 120_000);
  } finally {
    rmSync(file, { force: true });
  }
}

const SUDO_MODULE = join(PROJECT, 'dist', 'src', 'exec', 'sudo.js');

machineTest(
  'sudo with a password: a wrong one is refused at once, the right one is kept, and commands without a terminal then run as root and as another account',
  async () => {
    heading('sudo with a password, through the askpass helper');
    const script = `
    import { exec } from 'node:child_process';
    import { existsSync, statSync } from 'node:fs';
    const sudo = await import(${JSON.stringify(SUDO_MODULE)});
    const run = (line) => new Promise((resolve) =>
      exec(line, { env: process.env }, (e, out, err) => resolve({ code: e?.code ?? 0, out: out + err })));
    const need = await sudo.sudoNeed();
    // Kept by \`su\` from another account: not ours, so the helper's directory goes elsewhere.
    process.env.XDG_RUNTIME_DIR = '/root';
    const askpass = await sudo.startAskpass(need.sudoPath, [process.execPath, ${JSON.stringify(CLI)}]);
    const dir = askpass.env.SUDO_ASKPASS.replace(/\\/askpass$/, '');
    const before = (await run('sudo -n true')).code;
    const wrong = await askpass.check('not the password');
    const right = await askpass.check(${JSON.stringify(PASSWORD)});
    Object.assign(process.env, askpass.env);
    const asRoot = await run("setsid -w sh -c 'sudo id -u' </dev/null");
    const asOther = await run("setsid -w sh -c 'sudo runuser -u nobody -- id -un' </dev/null");
    const environment = await run("setsid -w sh -c 'sudo env; env' </dev/null");
    const mode = (statSync(dir).mode & 0o777).toString(8);
    askpass.close();
    console.log(JSON.stringify({ need: need.kind, before, wrong: wrong.result, wrongSaid: wrong.output,
      right: right.result, asRoot, asOther,
      passwordInEnvironment: environment.out.includes(${JSON.stringify(PASSWORD)}), mode, removed: !existsSync(dir) }));
  `;
    const result = nodeAs(WITH_PASSWORD, script);
    log(result.stdout + result.stderr);
    assert.equal(result.code, 0, result.stderr);
    const seen = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.equal(seen.need, 'password', 'without a terminal, sudo needs the password');
    assert.notEqual(seen.before, 0, 'a plain sudo without a terminal fails: the reason for the helper');
    assert.equal(seen.wrong, 'wrong');
    // The helper gives a password once per try: sudo does not count three attempts against the account.
    assert.doesNotMatch(String(seen.wrongSaid), /3 incorrect password attempts/);
    assert.equal(seen.right, 'accepted');
    assert.deepEqual(seen.asRoot, { code: 0, out: '0\n' });
    assert.deepEqual(seen.asOther, { code: 0, out: 'nobody\n' });
    assert.equal(seen.passwordInEnvironment, false, "the password is in no command's environment");
    assert.equal(seen.mode, '700', "the helper's directory is private");
    assert.equal(seen.removed, true, "the helper's directory is removed when closed");
  },
);

machineTest(
  "sudo for an account not in sudoers: the right password is not called wrong; sudo's own words are kept",
  async () => {
    heading('not in sudoers');
    const script = `
    const sudo = await import(${JSON.stringify(SUDO_MODULE)});
    const need = await sudo.sudoNeed();
    const askpass = await sudo.startAskpass(need.sudoPath, [process.execPath, ${JSON.stringify(CLI)}]);
    const checked = await askpass.check(${JSON.stringify(PASSWORD)});
    askpass.close();
    console.log(JSON.stringify({ need: need.kind, result: checked.result, output: checked.output }));
  `;
    const result = nodeAs(NOT_ALLOWED, script);
    log(result.stdout + result.stderr);
    assert.equal(result.code, 0, result.stderr);
    const seen = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, string>;
    assert.equal(seen.need, 'password', 'sudo asks for the password before it says no');
    assert.equal(seen.result, 'refused');
    assert.match(seen.output, /is not in the sudoers file/);
  },
);

machineTest(
  "sudo NOPASSWD for root only: no password is asked, and the plan's `sudo runuser -u USER` works where `sudo -u USER` is refused",
  async () => {
    heading('NOPASSWD: ALL, no (ALL:ALL)');
    const script = `
    import { exec } from 'node:child_process';
    const sudo = await import(${JSON.stringify(SUDO_MODULE)});
    const run = (line) => new Promise((resolve) =>
      exec(line, (e, out, err) => resolve({ code: e?.code ?? 0, out: out + err })));
    console.log(JSON.stringify({ need: (await sudo.sudoNeed()).kind,
      sudoU: (await run("setsid -w sudo -n -u nobody true </dev/null")).code,
      runuser: await run("setsid -w sh -c 'sudo -n runuser -u nobody -- id -un' </dev/null") }));
  `;
    const result = nodeAs(NO_PASSWORD, script);
    log(result.stdout + result.stderr);
    assert.equal(result.code, 0, result.stderr);
    const seen = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.equal(seen.need, 'no-password');
    assert.notEqual(seen.sudoU, 0, 'this rule does not allow sudo -u another account');
    assert.deepEqual(seen.runuser, { code: 0, out: 'nobody\n' });
  },
);

const ANSWERS = [
  '--app-name',
  'e2esudoapp',
  '--user',
  WITH_PASSWORD,
  '--server-name',
  'e2esudo.example',
  '--web-group',
  'www-data',
  '--processes',
  '2',
  '--test-port',
  '8093',
  '--app-dir',
  `/home/${WITH_PASSWORD}/e2esudoapp`,
];

machineTest(
  'the shipped wizard, run by a password-sudo account without a terminal, refuses before anything runs and says what to try',
  async () => {
    heading('no terminal to ask the password on');
    if (sh('getent group www-data').code !== 0) must('addgroup --system www-data');
    const result = sh(
      `cd /tmp && runuser -u ${WITH_PASSWORD} -- ${q(process.execPath)} ${q(CLI)} --yes --lang en ${ANSWERS.map(q).join(' ')} </dev/null`,
      60_000,
    );
    log(result.stdout + result.stderr);
    assert.equal(result.code, 2, 'input refused, nothing ran');
    assert.match(result.stderr, /sudo needs the password of e2esudopw, and there is no terminal/);
    assert.match(result.stderr, /Try: run it in a terminal \(ssh -t/);
    assert.ok(!readdirSync(`/home/${WITH_PASSWORD}`).includes('e2esudoapp'), 'nothing was made');
  },
);

machineTest(
  'the shipped wizard in a terminal: the sudo password is asked once before the screen, a wrong one asked again, then the first step is drawn',
  async (t) => {
    heading('the password prompt in a real terminal');
    if (sh('getent group www-data').code !== 0) must('addgroup --system www-data');
    const tmux = new Tmux(`e2esudo${process.pid}`);
    t.after(() => tmux.killServer());
    const command = `cd /tmp && runuser -u ${WITH_PASSWORD} -- env LANG=C.UTF-8 ${q(process.execPath)} ${q(CLI)} --lang en --no-quiz ${ANSWERS.map(q).join(' ')}; echo EXITED=$?; sleep 600`;
    tmux.start('w', command, 120, 40);
    let screen = await tmux.waitFor('w', 'the password prompt', (s) => s.includes('[sudo] password for e2esudopw'));
    printScreen('the password prompt', screen);
    tmux.type('w', 'wrong password');
    tmux.keys('w', 'Enter');
    screen = await tmux.waitFor(
      'w',
      'the second prompt',
      (s) => s.includes('not accepted') && s.split('[sudo] password').length > 2,
      30_000,
    );
    assert.doesNotMatch(screen, /wrong password/, 'what is typed is masked');
    tmux.type('w', PASSWORD);
    tmux.keys('w', 'Enter');
    // Where the machine already has the packages (an earlier suite installed them), the resume list
    // comes first: Enter continues from the step it proposes.
    screen = await tmux.waitFor(
      'w',
      'the first step or the resume list',
      (s) => /Step 1 of 11|continue from ▶/.test(s),
      60_000,
    );
    if (screen.includes('continue from ▶')) tmux.keys('w', 'Enter');
    screen = await tmux.waitFor(
      'w',
      'the first step',
      (s) => /Step 1 of 11/.test(s) && /\[Enter\] continue/.test(s),
      60_000,
    );
    printScreen('the first step', screen);
    assert.ok(!screen.includes(PASSWORD), 'the password is not on the screen');
    tmux.keys('w', 'q');
    screen = await tmux.waitFor('w', 'the end', (s) => /EXITED=\d+/.test(s), 30_000);
    printScreen('after quitting', screen);
    assert.match(screen, /EXITED=130/);
    const logs = sh(`cat /home/${WITH_PASSWORD}/.local/state/uwsgi-nginx-guide/* 2>/dev/null`).stdout;
    assert.ok(logs.length > 0, 'the run wrote its log');
    assert.ok(!logs.includes(PASSWORD), 'the password is in no log');
  },
);

machineTest(
  'issue 20: an account sudo refuses is told so before the first question, and the wizard exits 2 with nothing asked or done',
  async (t) => {
    heading('sudo before the questions');
    const tmux = new Tmux(`e2esudono${process.pid}`);
    t.after(() => tmux.killServer());
    // No answers given: every question would be asked.
    const command = `cd /tmp && runuser -u ${NOT_ALLOWED} -- env LANG=C.UTF-8 ${q(process.execPath)} ${q(CLI)} --lang en; echo EXITED=$?; sleep 600`;
    tmux.start('w', command, 120, 40);
    let screen = await tmux.waitFor('w', 'the password prompt', (s) =>
      s.includes(`[sudo] password for ${NOT_ALLOWED}`),
    );
    printScreen('the password prompt, first', screen);
    assert.doesNotMatch(screen, /App name/, 'no question was asked before it');
    tmux.type('w', PASSWORD);
    tmux.keys('w', 'Enter');
    screen = await tmux.waitFor('w', 'the end', (s) => /EXITED=\d+/.test(s), 60_000);
    printScreen('refused', screen);
    assert.match(screen, /EXITED=2/, 'input refused: exit 2');
    assert.match(screen.replace(/\n/g, ''), /is not in the sudoers file/, "sudo's own words are shown");
    assert.doesNotMatch(screen, /App name/, 'no question was asked at all');
  },
);
