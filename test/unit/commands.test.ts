// Quoting and privilege: what reaches /bin/sh is exactly the value given, and every command runs
// as the account the plan says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shellArg, shellLine, withPrivilege } from '../../src/engine/commands.js';
import { makeContext } from '../helpers.js';

/** What a real /bin/sh makes of `word` as one argument. */
function shellSees(word: string): string {
  const result = spawnSync('/bin/sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('shellArg', () => {
  it('leaves safe words as they are', () => {
    for (const word of [
      '/home/demo/myapp',
      '--protocol=http',
      '0.0.0.0:8080',
      'www-data',
      'my_app',
      'user@host',
      '50%',
      'a+b',
      'a,b',
      '-w',
    ]) {
      assert.equal(shellArg(word), word);
    }
  });

  const hostile = [
    'two words',
    "it's",
    'say "hi"',
    'a; rm -rf /',
    '$(id)',
    '`id`',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile input itself
    '${HOME}',
    'line one\nline two',
    '',
    "'",
    'back\\slash',
    '*',
    '~',
    'a|b&c>d',
    '日本語',
  ];

  for (const value of hostile) {
    it(`single-quotes ${JSON.stringify(value)} and /bin/sh gets it back byte for byte`, () => {
      const quoted = shellArg(value);
      assert.ok(quoted.startsWith("'") && quoted.endsWith("'"), quoted);
      assert.equal(shellSees(quoted), value);
    });
  }

  it('shellLine quotes each word on its own', () => {
    assert.equal(
      shellLine('/usr/bin/python3', '-c', 'import sys; print(sys.prefix)'),
      "/usr/bin/python3 -c 'import sys; print(sys.prefix)'",
    );
  });
});

describe('withPrivilege', () => {
  const root = makeContext({ runningAs: 'root' });
  const otherAccount = makeContext({ runningAs: 'admin' });
  const serviceUserItself = makeContext({ runningAs: 'demo' });

  it('as root: system commands as they are, the service user through runuser', () => {
    assert.equal(withPrivilege(root, 'root', 'apt-get update'), 'apt-get update');
    assert.equal(
      withPrivilege(root, 'service-user', 'mkdir -p /home/demo/myapp'),
      'runuser -u demo -- mkdir -p /home/demo/myapp',
    );
    assert.equal(
      withPrivilege(root, 'service-user-web-group', 'uwsgi --ini a.ini'),
      'runuser -u demo -g www-data -- uwsgi --ini a.ini',
    );
    assert.equal(
      withPrivilege(root, 'web-user', 'test -w /run/myapp/myapp.sock'),
      'runuser -u www-data -- test -w /run/myapp/myapp.sock',
    );
  });

  // Not `sudo -u`: a sudoers rule "ALL=NOPASSWD: ALL" (no "(ALL:ALL)") lets its account run commands as root only.
  it('as another account: sudo for system commands, sudo runuser for the service user and the web user', () => {
    assert.equal(withPrivilege(otherAccount, 'root', 'apt-get update'), 'sudo apt-get update');
    assert.equal(
      withPrivilege(otherAccount, 'service-user', 'mkdir -p /home/demo/myapp'),
      'sudo runuser -u demo -- mkdir -p /home/demo/myapp',
    );
    assert.equal(
      withPrivilege(otherAccount, 'service-user-web-group', 'uwsgi --ini a.ini'),
      'sudo runuser -u demo -g www-data -- uwsgi --ini a.ini',
    );
    assert.equal(
      withPrivilege(otherAccount, 'web-user', 'test -w /run/myapp/myapp.sock'),
      'sudo runuser -u www-data -- test -w /run/myapp/myapp.sock',
    );
  });

  it('as the service user itself: its commands need no prefix, except to take the web group', () => {
    assert.equal(
      withPrivilege(serviceUserItself, 'service-user', 'mkdir -p /home/demo/myapp'),
      'mkdir -p /home/demo/myapp',
    );
    assert.equal(
      withPrivilege(serviceUserItself, 'service-user-web-group', 'uwsgi --ini a.ini'),
      'sudo runuser -u demo -g www-data -- uwsgi --ini a.ini',
    );
    assert.equal(withPrivilege(serviceUserItself, 'root', 'nginx -t'), 'sudo nginx -t');
  });

  it('as the web user itself: a web-user command needs no prefix', () => {
    assert.equal(withPrivilege(makeContext({ runningAs: 'www-data' }), 'web-user', 'test -r /x'), 'test -r /x');
  });
});
