// The doctor's reading of uWSGI's configuration (issue 16): the ini's [uwsgi] section, uWSGI's
// command line, the systemd unit and the Upstart job that start it; the wizard's own files (as its
// plans write them), the guide's, and tricky ones; and, with the real uWSGI, that it reads them so.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  parseSystemdUnit,
  parseUpstartJob,
  parseUwsgiArgs,
  parseUwsgiIni,
  resolveSocketPath,
  shellWords,
} from '../../src/engine/doctor/uwsgi-config.js';
import { plannedFile } from '../golden.js';
import { checkedBy, findUwsgi, noUwsgi, programEnv } from '../validators.js';

describe("the wizard's and the guide's files", () => {
  it("the wizard's ini on Debian 12: the socket in /run, 664, master, 5 processes, die-on-term, vacuum", () => {
    const ini = parseUwsgiIni(plannedFile('debian-12', 'write-ini'), { path: '/home/demo/myapp/myapp.ini' });
    assert.equal(ini.module, 'wsgi:application');
    assert.deepEqual(ini.sockets, [{ option: 'socket', protocol: 'uwsgi', address: '/run/myapp/myapp.sock', line: 7 }]);
    assert.deepEqual(
      [ini.chmodSocket, ini.master, ini.processes, ini.vacuum, ini.dieOnTerm, ini.chdir],
      ['664', true, 5, true, true, undefined],
    );
    assert.deepEqual(resolveSocketPath(ini, ini.sockets[0], '/home/demo/myapp'), {
      kind: 'unix',
      path: '/run/myapp/myapp.sock',
    });
  });

  it("the guide's ini (socket = myapp.sock) resolves against the directory uWSGI starts in", () => {
    const ini = parseUwsgiIni(plannedFile('ubuntu-14.04', 'write-ini'));
    assert.deepEqual(resolveSocketPath(ini, ini.sockets[0], '/home/demo/myapp'), {
      kind: 'unix',
      path: '/home/demo/myapp/myapp.sock',
    });
  });

  it("the wizard's unit: User, Group, WorkingDirectory, RuntimeDirectory, the venv's uwsgi and the ini it names", () => {
    const unit = parseSystemdUnit(plannedFile('debian-12', 'write-systemd-unit'));
    assert.deepEqual(
      [unit.user, unit.group, unit.workingDirectory, unit.runtimeDirectory, unit.killSignal],
      ['demo', 'www-data', '/home/demo/myapp', ['myapp'], undefined],
    );
    assert.deepEqual(unit.execStart, ['/home/demo/myapp/myappenv/bin/uwsgi', '--ini', '/home/demo/myapp/myapp.ini']);
    assert.equal(unit.ini, '/home/demo/myapp/myapp.ini');
    assert.equal(unit.lines.User, 6);
  });

  it("the guide's Upstart job: setuid, setgid, the script's cd, the venv it activates, uwsgi --ini", () => {
    const job = parseUpstartJob(plannedFile('ubuntu-14.04', 'write-upstart-job'));
    assert.deepEqual(
      [job.setuid, job.setgid, job.chdir, job.activates],
      ['demo', 'www-data', '/home/demo/myapp', '/home/demo/myapp/myappenv'],
    );
    assert.deepEqual(job.command, ['uwsgi', '--ini', 'myapp.ini']);
    assert.equal(job.ini, '/home/demo/myapp/myapp.ini');
    assert.deepEqual(job.lines, { setuid: 6, setgid: 7, cd: 10, exec: 12 });
  });
});

describe('tricky configurations', () => {
  it('aliases, repeated options (the last wins, sockets add up), flags as uWSGI reads them, _ keys reported', () => {
    const ini = parseUwsgiIni(
      [
        '[other]',
        'socket = /elsewhere.sock',
        '[uwsgi]',
        '  ; a comment',
        '# another',
        'chdir = /srv/a',
        'chdir = /srv/b',
        'wsgi = app:create',
        'venv = /srv/venv',
        'virtualenv = /srv/venv2',
        'uwsgi-socket = app.sock',
        'http-socket = :8080',
        'plugins = python3, logfile',
        'plugin = router_static',
        'master = FALSE',
        'vacuum = off',
        'need-app',
        'die-on-term = yes',
        'workers = 4',
        'chmod_socket = 660',
        'chmod-socket =',
        'buffer-size = 32768',
        'harakiri = 30',
        'listen = 1024',
        'logto = /var/log/uwsgi/app.log',
        'pidfile = /run/app.pid',
        'uid = www-data',
        'gid = www-data',
        'chown-socket = www-data:www-data',
      ].join('\n'),
    );
    assert.deepEqual(
      [ini.chdir, ini.module, ini.home, ini.processes, ini.master, ini.vacuum, ini.needApp, ini.dieOnTerm],
      ['/srv/b', 'app:create', '/srv/venv2', 4, false, false, true, true],
    );
    assert.deepEqual(
      ini.sockets.map((s) => [s.option, s.protocol, s.address]),
      [
        ['socket', 'uwsgi', 'app.sock'],
        ['http-socket', 'http', ':8080'],
      ],
    );
    assert.deepEqual(ini.plugins, ['python3', 'logfile', 'router_static']);
    assert.equal(ini.chmodSocket, '', 'chmod-socket without a value (uWSGI refuses it)');
    assert.deepEqual(ini.underscoreKeys, [{ key: 'chmod_socket', option: 'chmod-socket', line: 20 }]);
    assert.deepEqual(
      [ini.bufferSize, ini.harakiri, ini.listen, ini.logto, ini.pidfile, ini.uid, ini.gid, ini.chownSocket],
      [32768, 30, 1024, '/var/log/uwsgi/app.log', '/run/app.pid', 'www-data', 'www-data', 'www-data:www-data'],
    );
    assert.deepEqual(resolveSocketPath(ini, ini.sockets[0], '/'), { kind: 'unix', path: '/srv/b/app.sock' });
    assert.deepEqual(resolveSocketPath(ini, ini.sockets[1], '/'), { kind: 'inet', host: '0.0.0.0', port: 8080 });
  });

  it('magic variables and placeholders: %d %n %p %s %e %c %%, %(option), $(ENV)', () => {
    const ini = parseUwsgiIni(
      [
        '[uwsgi]',
        'base = /srv/%n',
        'chdir = %(base)/src',
        'socket = %(base)/%n.sock',
        'logto = %d%n.log',
        'pidfile = $(RUNTIME_DIRECTORY)/%s.pid',
        'module = %c.wsgi:application',
        'callable = 100%%-%e-%p',
      ].join('\n'),
      { path: '/etc/uwsgi/apps/shop.ini', env: { RUNTIME_DIRECTORY: '/run/shop' } },
    );
    assert.equal(ini.chdir, '/srv/shop/src');
    assert.equal(ini.sockets[0].address, '/srv/shop/shop.sock');
    assert.equal(ini.logto, '/etc/uwsgi/apps/shop.log');
    assert.equal(ini.pidfile, '/run/shop/shop.ini.pid');
    assert.equal(ini.module, 'apps.wsgi:application');
    assert.equal(ini.callable, '100%-ini-/etc/uwsgi/apps/shop.ini');
  });

  it("the guide's test command line: --socket with --protocol=http speaks HTTP; short options and a lone ini", () => {
    const test = parseUwsgiArgs(['uwsgi', '--socket', '0.0.0.0:8080', '--protocol=http', '-w', 'wsgi']);
    assert.deepEqual(test.sockets, [{ option: 'socket', protocol: 'http', address: '0.0.0.0:8080' }]);
    assert.equal(test.module, 'wsgi');
    const other = parseUwsgiArgs([
      ...['/usr/bin/uwsgi', '-s', '/tmp/a.sock', '-M', '-p4', '--http', ':9090', '--chmod-socket', 'site.ini'],
    ]);
    assert.deepEqual(
      other.sockets.map((s) => [s.option, s.protocol, s.address]),
      [
        ['socket', 'uwsgi', '/tmp/a.sock'],
        ['http', 'http', ':9090'],
      ],
    );
    assert.deepEqual([other.master, other.processes, other.inis, other.chmodSocket], [true, 4, ['site.ini'], '666']);
    assert.deepEqual(
      parseUwsgiArgs(['uwsgi', '--emperor', '/etc/uwsgi/vassals', '--master']).emperor,
      '/etc/uwsgi/vassals',
    );
  });

  it("a unit with systemd's quoting, prefixes, continued lines, Environment and KillSignal; --ini FILE:SECTION", () => {
    const unit = parseSystemdUnit(
      [
        '[Unit]',
        'User=nobody',
        '[Service]',
        '# a comment',
        'User=app',
        'Environment="A=1 2" B=3',
        'Environment=B=4',
        'WorkingDirectory=-/srv/app',
        'RuntimeDirectory=app app-extra',
        'KillSignal=SIGQUIT',
        'ExecStart=-/srv/app/venv/bin/uwsgi \\',
        "    --ini 'conf/my app.ini:prod' --die-on-term",
      ].join('\n'),
    );
    assert.deepEqual([unit.user, unit.group, unit.workingDirectory], ['app', undefined, '/srv/app']);
    assert.deepEqual(unit.environment, { A: '1 2', B: '4' });
    assert.deepEqual(unit.runtimeDirectory, ['app', 'app-extra']);
    assert.equal(unit.killSignal, 'SIGQUIT');
    assert.deepEqual(unit.execStart, ['/srv/app/venv/bin/uwsgi', '--ini', 'conf/my app.ini:prod', '--die-on-term']);
    assert.equal(unit.ini, '/srv/app/conf/my app.ini');
    assert.equal(unit.uwsgi?.dieOnTerm, true);
  });

  it('an Upstart job with exec and a chdir stanza; a unit that does not start uWSGI names no ini', () => {
    const job = parseUpstartJob(
      ['setuid app', 'chdir /srv/app', 'env LANG=C.UTF-8', 'exec /srv/app/venv/bin/uwsgi --ini app.ini'].join('\n'),
    );
    assert.deepEqual(
      [job.setuid, job.chdir, job.env, job.ini],
      ['app', '/srv/app', { LANG: 'C.UTF-8' }, '/srv/app/app.ini'],
    );
    const gunicorn = parseSystemdUnit('[Service]\nExecStart=/usr/bin/gunicorn app:app\n');
    assert.deepEqual([gunicorn.uwsgi, gunicorn.ini], [undefined, undefined]);
    assert.deepEqual(shellWords(`a "b \\" c" 'd e'f g\\ h`), ['a', 'b " c', 'd ef', 'g h']);
  });
});

checkedBy('the real uWSGI reads them so', findUwsgi(), noUwsgi, (uwsgi) => {
  const work = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-doctor-ini-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('the options and magic variables it reports are those parsed (uwsgi --get)', () => {
    const path = join(work, 'shop.ini');
    const text = [
      '[uwsgi]',
      'base = /srv/%n',
      'chdir = %(base)/src',
      'socket = %(base)/%n.sock',
      'logto = %d%n.log',
      'module = %c.wsgi:application',
      'callable = 100%%-%e',
      'need-app',
      'pidfile = $(SHOP_RUN)/%s.pid',
      'chmod_socket = 660',
    ].join('\n');
    writeFileSync(path, text);
    const ini = parseUwsgiIni(text, { path, env: { SHOP_RUN: '/run/shop' } });
    const keys = ['chdir', 'socket', 'logto', 'module', 'callable', 'pidfile', 'need-app', 'chmod-socket'];
    const result = spawnSync(uwsgi, ['--ini', path, ...keys.flatMap((key) => ['--get', key])], {
      encoding: 'utf8',
      env: { ...programEnv, SHOP_RUN: '/run/shop' },
    });
    assert.equal(result.status, 0, result.stderr);
    // --get prints nothing for chmod-socket: uWSGI did not take chmod_socket for it.
    assert.deepEqual(result.stdout.split('\n').filter(Boolean), [
      ini.chdir,
      ini.sockets[0].address,
      ini.logto,
      ini.module,
      ini.callable,
      ini.pidfile,
    ]);
    assert.equal(result.stdout.split('\n')[6], '', 'need-app alone: an empty value');
    assert.equal(ini.needApp, true);
    assert.equal(ini.chmodSocket, undefined);
  });

  it('a relative socket is made in chdir, resolved as resolveSocketPath says, whatever the working directory', async () => {
    const app = join(work, 'app');
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(app, { recursive: true });
    mkdirSync(elsewhere, { recursive: true });
    const text = `[uwsgi]\nchdir = ../app\nsocket = run/app.sock\nchmod-socket = 660\n`;
    mkdirSync(join(app, 'run'));
    const path = join(elsewhere, 'app.ini');
    writeFileSync(path, text);
    const ini = parseUwsgiIni(text, { path });
    const expected = resolveSocketPath(ini, ini.sockets[0], elsewhere);
    assert.deepEqual(expected, { kind: 'unix', path: join(app, 'run', 'app.sock') });
    const child = spawn(uwsgi, ['--ini', path], { cwd: elsewhere, env: programEnv, stdio: 'ignore' });
    try {
      for (let waited = 0; !existsSync(expected.path) && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(existsSync(expected.path), 'uWSGI made no socket there');
      assert.equal(statSync(expected.path).mode & 0o777, 0o660);
    } finally {
      // Only the socket was wanted: nothing of uWSGI's stop is tested here.
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
  });
});
