// The question "Account that owns the app and runs uWSGI" at a terminal (issue 21, part 2): the
// real CLI in a pseudo-terminal, typed at as a person would. Root is never its default; typed (or
// given with --user), it is taken only after a warning and a confirmation whose default is No; on
// a machine with no normal account the wizard offers to create the guide's, shown and confirmed.
// Each run is stopped with Ctrl-C at a question, before anything runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { normalUidRange } from '../../src/engine/app-account.js';
import { cannotIsolate, inTerminal, IS_ROOT, personEnv } from '../cli-run.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-question-'));
after(() => rmSync(work, { recursive: true, force: true }));
const QUESTION = 'Account that owns the app and runs uWSGI';
const WARNING = "Warning: the app would run as root. uWSGI and the app's code";
const CONFIRM = 'Run the app as root anyway? (y/N)';
const ARGS = ['--lang', 'en', '--app-name', 'e2eacct', '--no-quiz'];
// A default known on every machine: the account that ran sudo (daemon is on every Debian).
const env = personEnv(join(work, 'state'), { SUDO_USER: 'daemon' });
const CTRL_C = '\x03';

describe('the account question at a terminal', { skip: cannotIsolate }, () => {
  it('root typed at the question: the warning, then a confirmation whose default (No) asks again', async () => {
    const term = inTerminal(ARGS, env);
    try {
      await term.until(`${QUESTION} (daemon)`);
      term.type('root\r');
      await term.until(WARNING);
      await term.until(
        /every right on this machine.*The guide, and every current version of it, runs the app as a normal/s,
      );
      await term.until(CONFIRM);
      term.type('\r');
      await term.until(/Run the app as root anyway\? No/);
      await term.until(`${QUESTION} (daemon)`);
      term.type(CTRL_C);
      assert.equal(await term.ended(), 130, term.screen());
      assert.doesNotMatch(term.screen(), /App directory/, 'never went past the account');
    } finally {
      term.stop();
    }
  });

  // inquirer shows the answer it was given as "Yes"/"No" of its own: under --lang ja, an English word on the screen.
  it('in Japanese, the answer to a yes/no question stays on the screen in Japanese', async () => {
    const term = inTerminal(['--lang', 'ja', ...ARGS.slice(2), '--user', 'root'], env);
    try {
      await term.until('(y/N)');
      term.type('n\r');
      await term.until('いいえ');
      term.type(CTRL_C);
      assert.equal(await term.ended(), 130, term.screen());
      assert.doesNotMatch(term.screen(), /\? No\b/);
    } finally {
      term.stop();
    }
  });

  it('--user root at a terminal: the same warning and confirmation; No asks the question, yes takes root', async () => {
    const declined = inTerminal([...ARGS, '--user', 'root'], env);
    try {
      await declined.until(WARNING);
      await declined.until(CONFIRM);
      declined.type('n\r');
      await declined.until(`${QUESTION} (daemon)`);
      declined.type(CTRL_C);
      assert.equal(await declined.ended(), 130, declined.screen());
    } finally {
      declined.stop();
    }
    const confirmed = inTerminal([...ARGS, '--user', 'root'], env);
    try {
      await confirmed.until(CONFIRM);
      confirmed.type('y\r');
      await confirmed.until('App directory (/root/e2eacct)');
      confirmed.type(CTRL_C);
      assert.equal(await confirmed.ended(), 130, confirmed.screen());
    } finally {
      confirmed.stop();
    }
  });

  // A machine with no normal account (a fresh server): an /etc of its own without any, and a
  // /home of its own, mounted for the wizard alone. adduser then writes in that copy, never here.
  const bare = !IS_ROOT ? 'as root only (adduser)' : !existsSync('/usr/sbin/adduser') && 'adduser is not installed';
  it("nobody but root: offers to create the guide's account, shows the command, creates it when confirmed, and uses it", {
    skip: bare,
  }, async () => {
    const etc = join(work, 'etc');
    const home = join(work, 'home');
    cpSync('/etc', etc, { recursive: true, verbatimSymlinks: true });
    mkdirSync(home);
    const { min, max } = normalUidRange(readFileSync('/etc/login.defs', 'utf8'));
    const people = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter((line) => Number(line.split(':')[2]) >= min && Number(line.split(':')[2]) <= max)
      .map((line) => line.split(':')[0]!);
    for (const file of ['passwd', 'shadow', 'group', 'gshadow']) {
      if (!existsSync(join(etc, file))) continue;
      const kept = readFileSync(join(etc, file), 'utf8')
        .split('\n')
        .filter((line) => !people.includes(line.split(':')[0]!));
      writeFileSync(join(etc, file), kept.join('\n'));
    }
    const hostBefore = spawnSync('getent', ['passwd', 'demo'], { encoding: 'utf8' }).stdout;
    const term = inTerminal(ARGS, personEnv(join(work, 'state-bare')), { etc, home });
    try {
      await term.until('This machine has no normal account');
      await term.until('Name of the account to create (demo)');
      term.type('\r');
      await term.until("The wizard runs:\n  $ adduser --disabled-password --gecos '' demo");
      await term.until('Create it? (Y/n)');
      term.type('\r');
      // The question after the account's: its default is the new account's home.
      await term.until('App directory (/home/demo/e2eacct)', 60_000);
      term.type(CTRL_C);
      assert.equal(await term.ended(), 130, term.screen());
    } finally {
      term.stop();
    }
    assert.match(
      readFileSync(join(etc, 'passwd'), 'utf8'),
      /^demo:x:\d+:\d+:[^:]*:\/home\/demo:/m,
      'created in the copy',
    );
    assert.ok(existsSync(join(home, 'demo')), 'with its home');
    assert.equal(
      spawnSync('getent', ['passwd', 'demo'], { encoding: 'utf8' }).stdout,
      hostBefore,
      'nothing on this machine',
    );
  });
});
