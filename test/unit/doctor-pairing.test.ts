// The doctor's pairing (issue 16): each site's uwsgi_pass with the uWSGI instances that serve that
// socket, and what is left over on either side, with the paths each side names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNginxDump } from '../../src/engine/doctor/nginx-config.js';
import {
  instancesFromProcesses,
  mergeOptions,
  pairSites,
  type UwsgiInstance,
} from '../../src/engine/doctor/pairing.js';
import {
  parseSystemdUnit,
  parseUpstartJob,
  parseUwsgiArgs,
  parseUwsgiIni,
} from '../../src/engine/doctor/uwsgi-config.js';
import { plannedFile } from '../golden.js';

/** A configuration as `nginx -T` prints it: nginx.conf including one site. */
function nginxWith(site: string) {
  const conf = 'user www-data;\nevents {}\nhttp {\n    include /etc/nginx/sites-enabled/*;\n}\n';
  return parseNginxDump(
    `# configuration file /etc/nginx/nginx.conf:\n${conf}\n# configuration file /etc/nginx/sites-enabled/app:\n${site}\n`,
  );
}

function fromIni(ini: string, cwd: string, origin = '/home/demo/myapp/myapp.ini'): UwsgiInstance {
  return { source: 'ini', origin, pids: [], options: parseUwsgiIni(ini, { path: origin }), cwd };
}

describe('pairing sites with uWSGI instances', () => {
  it("the wizard's site, unit and ini (Debian 12): one pair, nothing left over", () => {
    const unit = parseSystemdUnit(plannedFile('debian-12', 'write-systemd-unit'));
    const ini = parseUwsgiIni(plannedFile('debian-12', 'write-ini'));
    const instance: UwsgiInstance = {
      source: 'systemd',
      origin: '/etc/systemd/system/myapp.service',
      pids: [],
      options: mergeOptions(unit.uwsgi!, ini),
      cwd: unit.workingDirectory!,
    };
    const pairing = pairSites(nginxWith(plannedFile('debian-12', 'write-nginx-site')), [instance]);
    assert.equal(pairing.pairs.length, 1);
    assert.deepEqual(pairing.pairs[0].sockets[0].address, { kind: 'unix', path: '/run/myapp/myapp.sock' });
    assert.equal(pairing.pairs[0].protocolMismatch, false);
    assert.deepEqual([pairing.unserved, pairing.unused], [[], []]);
  });

  it("the guide's files: the ini's relative socket, read in the Upstart job's directory, is nginx's path", () => {
    const job = parseUpstartJob(plannedFile('ubuntu-14.04', 'write-upstart-job'));
    const instance = fromIni(plannedFile('ubuntu-14.04', 'write-ini'), job.chdir!);
    const pairing = pairSites(nginxWith(plannedFile('ubuntu-14.04', 'write-nginx-site')), [instance]);
    assert.equal(pairing.pairs.length, 1);
    assert.deepEqual(pairing.unserved, []);
  });

  it('paths that differ: the uwsgi_pass unserved, with the socket uWSGI really makes as its first candidate', () => {
    const site = plannedFile('debian-12', 'write-nginx-site');
    const guideIni = fromIni(plannedFile('ubuntu-14.04', 'write-ini'), '/home/demo/myapp');
    const other = fromIni('[uwsgi]\nsocket = /run/other/other.sock\n', '/', '/etc/uwsgi/other.ini');
    const tcp = fromIni('[uwsgi]\nsocket = 127.0.0.1:3031\n', '/', '/etc/uwsgi/tcp.ini');
    const pairing = pairSites(nginxWith(site), [other, tcp, guideIni]);
    assert.deepEqual(pairing.pairs, []);
    assert.equal(pairing.unserved.length, 1);
    const [unserved] = pairing.unserved;
    assert.deepEqual(unserved.site.target, { kind: 'unix', path: '/run/myapp/myapp.sock' });
    assert.deepEqual([unserved.site.file, unserved.site.line], ['/etc/nginx/sites-enabled/app', 7]);
    assert.deepEqual(
      unserved.candidates.map((c) => c.address),
      [
        { kind: 'unix', path: '/home/demo/myapp/myapp.sock' },
        { kind: 'unix', path: '/run/other/other.sock' },
      ],
      'the same file name first; no TCP socket for a unix path',
    );
    assert.equal(pairing.unused.length, 3);
  });

  it("running processes: masters with their workers folded in; the guide's test server speaks HTTP", () => {
    const testServer = ['uwsgi', '--socket', '0.0.0.0:8080', '--protocol=http', '-w', 'wsgi'];
    const service = ['/home/demo/myapp/myappenv/bin/uwsgi', '--ini', '/home/demo/myapp/myapp.ini'];
    const instances = instancesFromProcesses([
      { pid: 100, ppid: 1, argv: testServer, cwd: '/home/demo/myapp' },
      { pid: 101, ppid: 100, argv: testServer },
      { pid: 200, ppid: 1, argv: service, cwd: '/home/demo/myapp' },
      ...[201, 202, 203].map((pid) => ({ pid, ppid: 200, argv: service })),
      { pid: 300, ppid: 1, argv: ['nginx:', 'master', 'process'] },
      { pid: 400, ppid: 1, argv: ['/usr/bin/python3', 'uwsgi'] },
    ]);
    assert.deepEqual(
      instances.map((i) => [i.origin, i.pids, i.cwd]),
      [
        ['pid 100', [100, 101], '/home/demo/myapp'],
        ['pid 200', [200, 201, 202, 203], '/home/demo/myapp'],
      ],
    );
    assert.deepEqual(instances[1].options.inis, ['/home/demo/myapp/myapp.ini']);

    const proxied = pairSites(nginxWith('server { location / { proxy_pass http://127.0.0.1:8080/; } }'), instances);
    assert.equal(proxied.pairs.length, 1, 'proxy_pass to an HTTP socket');
    assert.equal(proxied.pairs[0].protocolMismatch, false);

    const passed = pairSites(nginxWith('server { location / { uwsgi_pass localhost:8080; } }'), instances);
    assert.equal(passed.pairs[0].protocolMismatch, true, 'uwsgi_pass to the HTTP socket: uwsgi-to-http');
  });

  it('proxy_pass to a uwsgi socket is http-to-uwsgi; an upstream pairs server by server; a proxy to no uWSGI is not unserved', () => {
    const app = {
      ...fromIni('[uwsgi]\nsocket = :3031\n', '/'),
      options: parseUwsgiArgs(['uwsgi', '--socket', ':3031']),
    };
    const proxied = pairSites(nginxWith('server { location / { proxy_pass http://127.0.0.1:3031; } }'), [app]);
    assert.equal(proxied.pairs[0].protocolMismatch, true);
    const site = [
      'upstream app { server unix:/run/a.sock; server unix:/run/b.sock; }',
      'server {',
      '  location / { uwsgi_pass app; }',
      '  location /other { proxy_pass http://127.0.0.1:9000; }',
      '}',
    ].join('\n');
    const pairing = pairSites(nginxWith(site), [fromIni('[uwsgi]\nsocket = /run/b.sock\n', '/')]);
    assert.deepEqual(
      pairing.pairs.map((p) => p.site.target),
      [{ kind: 'unix', path: '/run/b.sock' }],
    );
    assert.deepEqual(
      pairing.unserved.map((u) => u.site.target),
      [{ kind: 'unix', path: '/run/a.sock' }],
    );
  });
});
