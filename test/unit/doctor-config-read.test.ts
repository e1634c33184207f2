// What the doctor reads of the machine's configuration (issue 16, src/exec/doctor-config.ts): nginx
// -T by the real nginx, the running uWSGI processes from /proc (a real uWSGI started here, master
// and workers), and the instances found in units, jobs and ini directories (temporary ones here).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseNginxDump } from '../../src/engine/doctor/nginx-config.js';
import { pairSites } from '../../src/engine/doctor/pairing.js';
import { appInstanceOf } from '../../src/engine/doctor/survey.js';
import {
  discoverUwsgi,
  readConfigFile,
  readNginxConfig,
  readUwsgiProcesses,
  type UwsgiPlaces,
} from '../../src/exec/doctor-config.js';
import { uwsgiArgv } from '../../src/exec/proc.js';
import { checkedBy, findUwsgi, missing, nginxTree, noUwsgi, program, programEnv } from '../validators.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-doctor-read-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('configuration files read as root reads them', () => {
  it('a file is read; a link planted in a directory others may write is not followed', () => {
    const open = join(work, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    writeFileSync(join(work, 'secret'), 'root only\n');
    symlinkSync(join(work, 'secret'), join(open, 'app.ini'));
    writeFileSync(join(open, 'real.ini'), '[uwsgi]\nsocket = /run/a.sock\n');
    assert.equal(readConfigFile(join(open, 'real.ini')), '[uwsgi]\nsocket = /run/a.sock');
    assert.equal(readConfigFile(join(open, 'app.ini')), undefined);
    assert.equal(readConfigFile(join(work, 'missing.ini')), undefined);
  });
});

describe("an ini of Debian's apps-enabled", () => {
  it("is read after Debian's default.ini: its socket in /run/uwsgi/app/NAME/, www-data, 660, beside the app's own", () => {
    const etc = join(work, 'etc-uwsgi');
    mkdirSync(join(etc, 'apps-enabled'), { recursive: true });
    // The lines of /usr/share/uwsgi/conf/default.ini in Debian's uwsgi 2.0.21-5.1.
    const defaults = [
      '[uwsgi]',
      'declare-option = deb-confnamespace=$1',
      'declare-option = deb-confname=$1',
      'master = true',
      'workers = 2',
      'pidfile = /run/uwsgi/%(deb-confnamespace)/%(deb-confname)/pid',
      'socket = /run/uwsgi/%(deb-confnamespace)/%(deb-confname)/socket',
      'chown-socket = www-data',
      'chmod-socket = 660',
      'uid = www-data',
      'gid = www-data',
    ];
    writeFileSync(join(etc, 'default.ini'), defaults.join('\n'));
    writeFileSync(
      join(etc, 'apps-enabled', 'shop.ini'),
      '[uwsgi]\nplugins = python3\nmodule = shop.wsgi\nworkers = 4\n',
    );
    const places: UwsgiPlaces = {
      systemdUnits: [],
      upstartJobs: [],
      iniDirs: [join(etc, 'apps-enabled')],
      debianDefaultIni: join(etc, 'default.ini'),
    };
    const [shop] = discoverUwsgi([], places);
    assert.deepEqual(
      shop.options.sockets.map((s) => s.address),
      ['/run/uwsgi/app/shop/socket'],
    );
    assert.deepEqual(
      [shop.options.chmodSocket, shop.options.uid, shop.options.processes, shop.options.daemonize, shop.cwd],
      ['660', 'www-data', 4, '/var/log/uwsgi/app/shop.log', '/'],
    );
    assert.deepEqual(shop.options.plugins, ['python3']);
  });
});

checkedBy('nginx -T read by the real nginx', program('NGINX', 'nginx'), missing('NGINX', 'nginx'), (nginx) => {
  it('a good configuration is parsed; a broken one gives nginx -T its own words, and nothing parsed', async () => {
    const prefix = join(work, 'nginx');
    const conf = nginxTree(prefix, { app: 'server { listen 8123; location / { uwsgi_pass unix:/run/a.sock; } }\n' });
    const args = ['-c', conf, '-p', `${prefix}/`];
    const good = await readNginxConfig(nginx, args);
    assert.ok(good.ok, JSON.stringify(good));
    assert.deepEqual(good.config.servers[0].locations[0].uwsgiPass?.targets, [{ kind: 'unix', path: '/run/a.sock' }]);
    writeFileSync(join(prefix, 'sites-enabled', 'app'), 'server { listen 8123 }\n');
    const bad = await readNginxConfig(nginx, args);
    assert.equal(bad.ok, false);
    assert.ok(
      !bad.ok && bad.output.some((line) => /\[emerg\] \d+#\d+: unexpected "}"/.test(line)),
      JSON.stringify(bad),
    );
    assert.ok(!bad.ok && !bad.output.some((line) => /NGINX environment/.test(line)), 'nginx sees no NGINX variable');
  });
});

describe("a uWSGI's command line as /proc holds it", () => {
  it("pyuwsgi's (--uwsgi-from wheel) is its Python running the venv's uwsgi script: read from the script on", () => {
    // As /proc/PID/cmdline read for pyuwsgi 2.0.30 started by its console script (comm: uwsgi, exe: python3.11).
    const words = [
      '/home/demo/myapp/myappenv/bin/python3',
      '/home/demo/myapp/myappenv/bin/uwsgi',
      '--ini',
      'myapp.ini',
    ];
    assert.deepEqual(uwsgiArgv(words), words.slice(1));
  });

  it('a compiled uwsgi or uwsgi-core is read as it is; Python running anything else is no uWSGI', () => {
    assert.deepEqual(uwsgiArgv(['/usr/bin/uwsgi-core', '--ini', 'a.ini']), ['/usr/bin/uwsgi-core', '--ini', 'a.ini']);
    assert.deepEqual(uwsgiArgv(['uwsgi', '--http', ':8080']), ['uwsgi', '--http', ':8080']);
    assert.equal(uwsgiArgv(['/usr/bin/python3', '/usr/bin/unattended-upgrade']), undefined);
    assert.equal(uwsgiArgv(['/usr/bin/python3', '-m', 'uwsgi']), undefined);
    assert.equal(uwsgiArgv(['nginx: worker process']), undefined);
  });
});

checkedBy('uWSGI found running and in its files', findUwsgi(), noUwsgi, (uwsgi) => {
  let master: ChildProcess | undefined;
  after(async () => {
    if (master && master.exitCode === null && master.signalCode === null) {
      // With a master, SIGINT ends uWSGI and its workers at once.
      master.kill('SIGINT');
      const timer = setTimeout(() => master?.kill('SIGKILL'), 5000);
      await once(master, 'exit');
      clearTimeout(timer);
    }
  });

  it("a running master and its workers, attached to the unit that names its ini; the unit's socket paired", async () => {
    const app = join(work, 'app');
    const units = join(work, 'units');
    mkdirSync(app);
    mkdirSync(units);
    writeFileSync(join(app, 'wsgi.py'), 'def application(e, s):\n    s("200 OK", [])\n    return [b"x"]\n');
    writeFileSync(
      join(app, 'app.ini'),
      '[uwsgi]\nwsgi-file = wsgi.py\nmaster = true\nprocesses = 2\nsocket = app.sock\nchmod-socket = 660\n',
    );
    writeFileSync(
      join(units, 'app.service'),
      `[Service]\nWorkingDirectory=${app}\nExecStart=${uwsgi} --ini ${join(app, 'app.ini')}\n`,
    );
    writeFileSync(join(units, 'other.service'), '[Service]\nExecStart=/usr/bin/sleep 1\n');
    // Started as a person would from the app's directory, with the ini named relatively.
    master = spawn(uwsgi, ['--ini', 'app.ini'], { cwd: app, env: programEnv, stdio: 'ignore' });
    const socket = join(app, 'app.sock');
    for (let waited = 0; !existsSync(socket) && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The workers come after the socket; wait for both.
    let processes = await readUwsgiProcesses();
    const mine = () => processes.filter((p) => p.pid === master?.pid || p.ppid === master?.pid);
    for (let waited = 0; mine().length < 3 && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      processes = await readUwsgiProcesses();
    }
    const own = mine();
    assert.equal(own.length, 3, JSON.stringify(processes));
    assert.deepEqual(own[0].argv.slice(-2), ['--ini', 'app.ini']);
    assert.equal(own[0].cwd, app);
    assert.equal(own[0].uid, process.getuid?.());

    const places: UwsgiPlaces = { systemdUnits: [units], upstartJobs: [], iniDirs: [] };
    const instances = discoverUwsgi(own, places);
    assert.equal(instances.length, 1, 'the running uWSGI is the unit, not a second instance');
    const [unit] = instances;
    assert.deepEqual(
      [unit.source, unit.origin, unit.pids, unit.cwd],
      ['systemd', join(units, 'app.service'), own.map((p) => p.pid), app],
    );
    assert.deepEqual([unit.options.processes, unit.options.chmodSocket], [2, '660']);

    const dump = `# configuration file /etc/nginx/nginx.conf:\nhttp { server { location / { uwsgi_pass unix:${socket}; } } }\n`;
    const pairing = pairSites(parseNginxDump(dump), instances);
    assert.equal(pairing.pairs.length, 1);
    assert.deepEqual(pairing.unserved, []);

    // Without the unit, the process is an instance of its own, its ini read from its directory.
    const alone = discoverUwsgi(own, { systemdUnits: [], upstartJobs: [], iniDirs: [] });
    assert.deepEqual(
      alone.map((i) => [i.source, i.pids.length, i.options.sockets[0]?.address]),
      [['process', 3, 'app.sock']],
    );
    // Named relatively in the shell, the ini is the app's all the same: this uWSGI runs it.
    assert.equal(appInstanceOf(alone, join(app, 'app.ini'))?.origin, `pid ${master?.pid}`);
  });
});
