// The app's account when none was named (issue 21, part 2): never root by default; root only
// knowingly (a confirmation at the question, --allow-root unattended); planning never refuses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  accountOnTarget,
  createAccountCommand,
  decideAppAccount,
  isRootAccount,
  NEW_ACCOUNT_NAME,
  normalAccounts,
  normalUidRange,
  suggestAppAccount,
  type AccountFacts,
  type AccountSituation,
} from '../../src/engine/app-account.js';

/** A bare Debian 12: root and the system's accounts only (nobody's uid is above UID_MAX). */
const BARE = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'sync:x:4:65534:sync:/bin:/bin/sync',
  'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
  'systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
].join('\n');

const LOGIN_DEFS = '# comment\nUID_MIN\t\t\t 1000\nUID_MAX\t\t\t60000\n#UID_MIN 5\n';

const facts = (over: Partial<AccountFacts> = {}): AccountFacts => ({
  passwd: BARE,
  loginDefs: LOGIN_DEFS,
  sudoUser: undefined,
  uid: 0,
  runningAs: 'root',
  ...over,
});

describe("the uid range of people's accounts (login.defs)", () => {
  it('reads UID_MIN and UID_MAX, not commented-out lines', () => {
    assert.deepEqual(normalUidRange(LOGIN_DEFS), { min: 1000, max: 60000 });
    assert.deepEqual(normalUidRange('UID_MIN 500\nUID_MAX 1999\n'), { min: 500, max: 1999 });
  });

  it("falls back to shadow's 1000..60000 when login.defs is missing or says nothing", () => {
    assert.deepEqual(normalUidRange(''), { min: 1000, max: 60000 });
    assert.deepEqual(normalUidRange('#UID_MIN 100\nUID_MINX 7\n'), { min: 1000, max: 60000 });
  });
});

describe('normal accounts (getent passwd)', () => {
  it('a bare machine has none: root, daemons, nobody are not people', () => {
    assert.deepEqual(normalAccounts(BARE, LOGIN_DEFS), []);
  });

  it('in the uid range with a login shell, lowest uid first; nologin, false and out-of-range left out', () => {
    const passwd = [
      BARE,
      'zoe:x:1001:1001::/home/zoe:/bin/bash',
      'svc:x:1002:1002::/srv:/usr/sbin/nologin',
      'off:x:1003:1003::/home/off:/bin/false',
      'amy:x:1000:1000:Amy,,,:/home/amy:/bin/zsh',
      'big:x:70000:70000::/home/big:/bin/bash',
      'sh:x:1004:1004::/home/sh:',
      'broken line',
      'zoe:x:1001:1001::/home/zoe:/bin/bash',
    ].join('\n');
    assert.deepEqual(normalAccounts(passwd, LOGIN_DEFS), ['amy', 'zoe', 'sh']);
  });

  it('follows a machine whose login.defs starts people at 500', () => {
    const passwd = `${BARE}\nold:x:500:500::/home/old:/bin/bash`;
    assert.deepEqual(normalAccounts(passwd, LOGIN_DEFS), []);
    assert.deepEqual(normalAccounts(passwd, 'UID_MIN 500\nUID_MAX 60000'), ['old']);
  });
});

describe('the account offered (suggestAppAccount): never root', () => {
  const people = `${BARE}\ndemo:x:1000:1000::/home/demo:/bin/bash\nsammy:x:1001:1001::/home/sammy:/bin/bash`;

  it('as root through sudo: the account that ran sudo', () => {
    assert.deepEqual(suggestAppAccount(facts({ passwd: people, sudoUser: 'sammy' })), {
      kind: 'sudo-user',
      name: 'sammy',
    });
  });

  it('as root without sudo: the first normal account, not root', () => {
    assert.deepEqual(suggestAppAccount(facts({ passwd: people })), { kind: 'first-normal', name: 'demo' });
  });

  it('`sudo -s` from root (SUDO_USER=root) is no one to offer', () => {
    assert.deepEqual(suggestAppAccount(facts({ passwd: people, sudoUser: 'root' })), {
      kind: 'first-normal',
      name: 'demo',
    });
  });

  it('as root on a bare machine: nobody (the wizard offers to create one)', () => {
    assert.deepEqual(suggestAppAccount(facts()), { kind: 'none' });
    assert.deepEqual(suggestAppAccount(facts({ sudoUser: 'root' })), { kind: 'none' });
  });

  it('an account that is not root: itself, or who ran sudo', () => {
    const self = facts({ passwd: people, uid: 1001, runningAs: 'sammy' });
    assert.deepEqual(suggestAppAccount(self), { kind: 'self', name: 'sammy' });
    assert.deepEqual(suggestAppAccount({ ...self, sudoUser: 'demo' }), { kind: 'sudo-user', name: 'demo' });
  });

  it("the last run's account for this app comes first, unless that was root", () => {
    assert.deepEqual(suggestAppAccount(facts({ passwd: people }), 'sammy'), { kind: 'recorded', name: 'sammy' });
    assert.deepEqual(suggestAppAccount(facts({ passwd: people }), 'root'), { kind: 'first-normal', name: 'demo' });
    assert.deepEqual(suggestAppAccount(facts(), 'root'), { kind: 'none' });
  });

  it('an account with uid 0 under another name is root too', () => {
    const toor = `${people}\ntoor:x:0:0::/root:/bin/sh`;
    assert.equal(isRootAccount('toor', toor), true);
    assert.equal(isRootAccount('root'), true);
    assert.equal(isRootAccount('demo', toor), false);
    assert.deepEqual(suggestAppAccount(facts({ passwd: toor, sudoUser: 'toor' }), 'toor'), {
      kind: 'first-normal',
      name: 'demo',
    });
  });
});

describe("what is done about the app's account (decideAppAccount)", () => {
  const demo = { kind: 'first-normal', name: 'demo' } as const;
  const none = { kind: 'none' } as const;
  const root = { name: 'root', root: true };
  const at = (s: Partial<AccountSituation>): AccountSituation => ({
    use: 'run',
    interactive: false,
    allowRoot: false,
    suggestion: demo,
    ...s,
  });

  it('at the question: the offered account as default; nobody to offer: offer to create one', () => {
    assert.deepEqual(decideAppAccount(at({ interactive: true })), {
      kind: 'ask',
      suggestion: 'demo',
      offerCreate: false,
    });
    assert.deepEqual(decideAppAccount(at({ interactive: true, suggestion: none })), {
      kind: 'ask',
      suggestion: undefined,
      offerCreate: true,
    });
  });

  it('--user root at a terminal: confirmed first (No goes on to the question); --allow-root: warned only', () => {
    assert.deepEqual(decideAppAccount(at({ interactive: true, given: root })), {
      kind: 'ask',
      suggestion: 'demo',
      offerCreate: false,
      confirmGiven: 'root',
    });
    assert.deepEqual(decideAppAccount(at({ interactive: true, given: root, allowRoot: true })), {
      kind: 'use',
      name: 'root',
      warn: true,
    });
  });

  it('unattended (--yes): root only with --allow-root, and then with the warning', () => {
    assert.deepEqual(decideAppAccount(at({ given: root })), { kind: 'refuse', reason: 'root-not-allowed' });
    assert.deepEqual(decideAppAccount(at({ given: root, allowRoot: true })), { kind: 'use', name: 'root', warn: true });
    assert.deepEqual(decideAppAccount(at({ given: { name: 'sammy', root: false } })), {
      kind: 'use',
      name: 'sammy',
      warn: false,
    });
  });

  it('unattended without --user: the offered account; nobody but root: refused, never root', () => {
    assert.deepEqual(decideAppAccount(at({})), { kind: 'use', name: 'demo', warn: false });
    assert.deepEqual(decideAppAccount(at({ suggestion: none })), { kind: 'refuse', reason: 'no-normal-account' });
    assert.deepEqual(decideAppAccount(at({ suggestion: none, allowRoot: true })), {
      kind: 'refuse',
      reason: 'no-normal-account',
    });
  });

  it('--dry-run plans for root with the warning, given or on a bare machine: planning changes nothing', () => {
    assert.deepEqual(decideAppAccount(at({ use: 'plan', given: root })), { kind: 'use', name: 'root', warn: true });
    assert.deepEqual(decideAppAccount(at({ use: 'plan', suggestion: none })), {
      kind: 'use',
      name: 'root',
      warn: true,
    });
    assert.deepEqual(decideAppAccount(at({ use: 'plan' })), { kind: 'use', name: 'demo', warn: false });
  });

  it("status and undo take the record's account, root included, and warn of nothing", () => {
    assert.deepEqual(decideAppAccount(at({ use: 'inspect', recorded: 'root' })), {
      kind: 'use',
      name: 'root',
      warn: false,
    });
    assert.deepEqual(decideAppAccount(at({ use: 'inspect' })), { kind: 'use', name: 'demo', warn: false });
    assert.deepEqual(decideAppAccount(at({ use: 'inspect', suggestion: none })), {
      kind: 'use',
      name: 'root',
      warn: false,
    });
    assert.deepEqual(decideAppAccount(at({ use: 'inspect', given: root })), { kind: 'use', name: 'root', warn: false });
  });
});

describe("creating the guide's account", () => {
  it('asks nothing: no password, no full name', () => {
    assert.equal(createAccountCommand('demo'), "adduser --disabled-password --gecos '' demo");
  });

  it("is one word to the shell whatever the name, though only adduser's names are offered", () => {
    assert.equal(
      execFileSync('sh', ['-c', `set -- ${createAccountCommand('demo')}; echo $#`], { encoding: 'utf8' }).trim(),
      '5',
    );
    assert.ok(NEW_ACCOUNT_NAME.test('demo') && NEW_ACCOUNT_NAME.test('app-user_2'));
    for (const bad of ['', 'Demo', '_x', '1abc', 'a b', 'a;id', 'x'.repeat(33)])
      assert.ok(!NEW_ACCOUNT_NAME.test(bad), bad);
  });
});

describe("the account on an export's target (issue 19)", () => {
  it("is what the target's adduser gives: /home/NAME and a group of its name; root's is /root, group root", () => {
    assert.deepEqual(accountOnTarget('student'), { home: '/home/student', primaryGroup: 'student' });
    assert.deepEqual(accountOnTarget('root'), { home: '/root', primaryGroup: 'root' });
  });
});
