// The doctor's reading of nginx's configuration (issue 16): the text of `nginx -T` taken apart into
// server blocks, and the block nginx really picks for a request. The inputs are real `nginx -T`
// outputs: Debian 12's stock configuration as its nginx printed it (fixtures/doctor), and
// configurations made here and printed by the real nginx ($NGINX, as test/content/configs.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  type NginxConfig,
  NginxParseError,
  parseNginxDump,
  routeRequest,
  splitDump,
  tokenize,
} from '../../src/engine/doctor/nginx-config.js';
import { plannedFile } from '../golden.js';
import { checkedBy, missing, nginxCheck, nginxTree, program } from '../validators.js';

const stockDump = readFileSync(
  join(import.meta.dirname, '../../../fixtures/doctor/nginx-T-debian-12-stock.txt'),
  'utf8',
);
/** Debian's own default site, as its nginx printed it. */
const stockDefaultSite = splitDump(stockDump).find((f) => f.path === '/etc/nginx/sites-enabled/default')!.text;

/** The nginx site the wizard writes, as planned for a platform (the guide's, or /run's socket). */
const wizardSite = (platformId: string) => plannedFile(platformId, 'write-nginx-site');

/** A port nothing listens on now (the kernel's choice, given back at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForFile(path: string, gaveUp: () => boolean, why: () => string): Promise<void> {
  for (let waited = 0; !existsSync(path); waited += 20) {
    if (gaveUp() || waited > 5000) throw new Error(`nginx did not start: ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The body nginx on 127.0.0.1:port answers for this Host. */
function answerFrom(port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: '/', headers: { Host: host } }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the nginx tokenizer', () => {
  it('reads quotes with spaces and semicolons, escapes, comments only at a word start, $-braces and } inside words', () => {
    const text = [
      "add_header X-A \"a b; c\" 'd\\'e';  # a comment { ; }",
      'set $x a#b;',
      'return 200 "x\\"y\\tz";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: nginx's own ${name} syntax, not a template
      'set $y ${x}z};',
    ].join('\n');
    const words = tokenize(text, 'f').map((t) => (t.kind === 'word' ? t.value : t.kind));
    assert.deepEqual(words, [
      ...['add_header', 'X-A', 'a b; c', "d'e", ';'],
      ...['set', '$x', 'a#b', ';'],
      ...['return', '200', 'x"y\tz', ';'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: nginx's own ${name} syntax, not a template
      ...['set', '$y', '${x}z}', ';'],
    ]);
  });

  it('counts lines, newlines inside quotes too', () => {
    const tokens = tokenize('a "1\n2";\n\nb;', 'f');
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'word').map((t) => t.line),
      [1, 1, 4],
    );
  });

  it('refuses what nginx refuses: an unterminated quote, a stray }, a missing ;', () => {
    const dump = (text: string) => `# configuration file /etc/nginx/nginx.conf:\n${text}\n`;
    assert.throws(() => parseNginxDump(dump('user "www-data;')), NginxParseError);
    assert.throws(() => parseNginxDump(dump('events {}\n}')), /nginx\.conf:2: unexpected "}"/);
    assert.throws(() => parseNginxDump(dump('http { server { listen 80 }')), /:1: unexpected "}"/);
    assert.throws(
      () => parseNginxDump(dump('http {\n server { listen 80;')),
      /:2: unexpected end of file, expecting "}"/,
    );
  });
});

describe("Debian 12's stock configuration (nginx -T as Debian's nginx printed it)", () => {
  const config = parseNginxDump(stockDump);

  it('has its files in the order nginx read them, the default site among them', () => {
    assert.deepEqual(
      config.files.map((f) => f.path),
      ['/etc/nginx/nginx.conf', '/etc/nginx/mime.types', '/etc/nginx/sites-enabled/default'],
    );
  });

  it("names the workers' user and the one server block, with its file and line", () => {
    assert.deepEqual(config.user, { name: 'www-data', file: '/etc/nginx/nginx.conf', line: 1 });
    assert.equal(config.servers.length, 1, 'the commented-out blocks are not blocks');
    const [server] = config.servers;
    assert.equal(server.file, '/etc/nginx/sites-enabled/default');
    assert.equal(server.line, 21);
    assert.deepEqual(
      server.listens.map((l) => [l.address, l.port, l.defaultServer, l.line]),
      [
        ['*', 80, true, 22],
        ['[::]', 80, true, 23],
      ],
    );
    assert.deepEqual(server.serverNames, ['_']);
    assert.equal(server.root, '/var/www/html');
    assert.deepEqual(
      server.locations.map((l) => [l.match, l.uwsgiPass, l.includesUwsgiParams]),
      [['/', undefined, false]],
    );
  });

  it('routes every name to the default site, by its default_server (also over IPv6)', () => {
    for (const host of ['example.com', '203.0.113.5', '']) {
      const route = routeRequest(config, host, 80);
      assert.equal(route?.reason, 'default-server', host);
      assert.equal(route?.server.file, '/etc/nginx/sites-enabled/default');
    }
    assert.equal(routeRequest(config, 'example.com', 80, '::1')?.reason, 'default-server');
    assert.equal(routeRequest(config, 'example.com', 8080), undefined, 'nothing listens on 8080');
  });
});

const nginx = program('NGINX', 'nginx');
checkedBy('configurations printed by the real nginx -T', nginx, missing('NGINX', 'nginx'), (nginxBin) => {
  const work = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-doctor-nginx-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  let made = 0;

  /** The configuration as nginx -T prints it, parsed; nginx -T fails (and so does this) on a bad one. */
  function dumped(sites: Record<string, string>, head = 'user www-data;\n'): { config: NginxConfig; prefix: string } {
    const prefix = join(work, `tree-${made++}`);
    nginxTree(prefix, sites, head);
    const result = nginxCheck(nginxBin, prefix, '-T');
    assert.equal(result.status, 0, result.stderr);
    return { config: parseNginxDump(result.stdout), prefix };
  }

  /** nginx serving the configuration nginxTree made in `prefix`, for as long as `use` runs. */
  async function withNginx<T>(prefix: string, use: () => Promise<T>): Promise<T> {
    const conf = join(prefix, 'nginx.conf');
    const server = spawn(
      nginxBin,
      ['-c', conf, '-p', `${prefix}/`, '-e', join(prefix, 'error.log'), '-g', 'daemon off; master_process off;'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    server.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    try {
      await waitForFile(
        join(prefix, 'nginx.pid'),
        () => server.exitCode !== null,
        () => stderr,
      );
      return await use();
    } finally {
      server.kill('SIGTERM');
      if (server.exitCode === null) await once(server, 'exit');
    }
  }

  it("the wizard's site beside Debian's default: the name reaches the site, any other the default", () => {
    const { config, prefix } = dumped({ default: stockDefaultSite, myapp: wizardSite('debian-12') });
    assert.deepEqual(config.user, { name: 'www-data', file: join(prefix, 'nginx.conf'), line: 1 });
    const site = config.servers.find((s) => s.file.endsWith('/myapp'))!;
    assert.equal(site.line, 1);
    assert.deepEqual(
      site.listens.map((l) => [l.address, l.port, l.defaultServer]),
      [['*', 80, false]],
    );
    assert.deepEqual(site.serverNames, ['example.com']);
    const [location] = site.locations;
    assert.equal(location.line, 5);
    assert.equal(location.includesUwsgiParams, true);
    assert.deepEqual(location.uwsgiPass?.targets, [{ kind: 'unix', path: '/run/myapp/myapp.sock' }]);
    assert.equal(location.uwsgiPass?.line, 7);

    assert.equal(routeRequest(config, 'example.com', 80)?.server, site);
    assert.equal(routeRequest(config, 'EXAMPLE.com.:80', 80)?.reason, 'exact', 'Host as nginx normalizes it');
    const other = routeRequest(config, 'www.example.com', 80);
    assert.equal(other?.reason, 'default-server', 'a name the site does not list goes to the default site');
    assert.ok(other?.server.file.endsWith('/default'));
    // The site listens on IPv4 only: over IPv6 the default site answers even for its name.
    assert.ok(routeRequest(config, 'example.com', 80, '::1')?.server.file.endsWith('/default'));
  });

  it("the guide's own site (socket in the home directory), alone: the first block on the port takes any name", () => {
    const { config } = dumped({ myapp: wizardSite('ubuntu-14.04') });
    const [site] = config.servers;
    assert.deepEqual(site.locations[0].uwsgiPass?.targets, [{ kind: 'unix', path: '/home/demo/myapp/myapp.sock' }]);
    assert.deepEqual(routeRequest(config, '192.0.2.1', 80), { server: site, reason: 'first-on-port' });
  });

  it('a site through an upstream block, proxy_pass beside it, limits inherited from http, server and location', () => {
    const site = [
      'upstream app_servers {',
      '    server unix:/run/app/app.sock weight=2;',
      '    server 127.0.0.1:3031;',
      '}',
      'client_max_body_size 20m;',
      'server {',
      '    server_name app.example.com;',
      '    uwsgi_read_timeout 120s;',
      '    location / {',
      '        include /etc/nginx/uwsgi_params;',
      '        uwsgi_pass uwsgi://app_servers;',
      '    }',
      '    location /upload {',
      '        client_max_body_size 100m;',
      '        include uwsgi_params;',
      '        uwsgi_pass 127.0.0.1:3031;',
      '        location ~ \\.json$ { uwsgi_read_timeout 5; uwsgi_pass unix:relative.sock; }',
      '    }',
      '    location /old { proxy_pass http://127.0.0.1:8080; }',
      '}',
    ].join('\n');
    const { config } = dumped({ app: site }, '');
    assert.equal(config.user, undefined);
    assert.deepEqual(config.upstreams[0].servers, [
      { kind: 'unix', path: '/run/app/app.sock' },
      { kind: 'inet', host: '127.0.0.1', port: 3031 },
    ]);
    const [server] = config.servers;
    assert.deepEqual(
      server.listens.map((l) => [l.address, l.port, l.implicit]),
      [['*', 80, true]],
    );
    assert.equal(server.clientMaxBodySize, '20m');
    assert.equal(server.uwsgiReadTimeout, '120s');
    const [root, upload, json, old] = server.locations;
    assert.deepEqual(
      [root.uwsgiPass?.scheme, root.uwsgiPass?.upstream, root.uwsgiPass?.targets.length],
      ['uwsgi', 'app_servers', 2],
    );
    assert.equal(root.includesUwsgiParams, true);
    assert.deepEqual(upload.uwsgiPass?.targets, [{ kind: 'inet', host: '127.0.0.1', port: 3031 }]);
    assert.deepEqual([upload.clientMaxBodySize, upload.uwsgiReadTimeout], ['100m', '120s']);
    assert.equal(json.match, '~ \\.json$');
    assert.deepEqual([json.clientMaxBodySize, json.uwsgiReadTimeout], ['100m', '5']);
    assert.deepEqual(json.uwsgiPass?.targets, [{ kind: 'unix', path: 'relative.sock' }]);
    assert.equal(json.includesUwsgiParams, false);
    assert.deepEqual([old.uwsgiPass, old.proxyPass?.value], [undefined, 'http://127.0.0.1:8080']);
  });

  it('server names: exact, then the longest *. wildcard, then the longest .* one, then regexes in order; as nginx answers', async () => {
    const port = await freePort();
    const block = (id: string, names: string) =>
      `server { listen 127.0.0.1:${port}; server_name ${names}; return 200 ${id}; }\n`;
    const { config, prefix } = dumped({
      a: block('a', '"~^w\\d{1,3}\\.example\\.net$"'),
      b: block('b', '~^(?<sub>.+)\\.example\\.net$'),
      c: block('c', '*.example.org'),
      d: block('d', '*.sub.example.org'),
      e: block('e', '.example.com'),
      f: block('f', 'mail.*'),
      g: block('g', 'mail.example.* www.example.org www.sub.example.org mail.example.net'),
      h: `server { listen 127.0.0.1:${port} default_server; server_name _; return 200 h; }\n`,
      i: block('i', 'second.example'),
    });
    const expected: [host: string, file: string, reason: string][] = [
      ['www.example.org', 'g', 'exact'],
      ['a.sub.example.org', 'd', 'leading-wildcard'],
      ['b.example.org', 'c', 'leading-wildcard'],
      ['example.com', 'e', 'leading-wildcard'],
      ['x.y.example.com', 'e', 'leading-wildcard'],
      ['mail.example.com', 'e', 'leading-wildcard'],
      ['mail.example.test', 'g', 'trailing-wildcard'],
      ['mail.test', 'f', 'trailing-wildcard'],
      ['mail.example.net', 'g', 'exact'],
      ['w12.example.net', 'a', 'regex'],
      ['w1234.example.net', 'b', 'regex'],
      ['example.net', 'h', 'default-server'],
      ['Second.Example.', 'i', 'exact'],
    ];
    const predicted = expected.map(([host]) => {
      const route = routeRequest(config, host, port, '127.0.0.1');
      return [host, route?.server.file.split('/').pop(), route?.reason];
    });
    assert.deepEqual(predicted, expected);
    // And nginx itself, serving this configuration, answers each name from the block predicted.
    const answers = await withNginx(prefix, () => Promise.all(expected.map(([host]) => answerFrom(port, host))));
    assert.deepEqual(
      answers,
      expected.map(([, file]) => file),
    );
  });

  it('a block on one address takes that address from the blocks on all addresses, and its default with it', () => {
    const { config } = dumped({
      a: 'server { listen 8001; server_name example.com; }\n',
      b: 'server { listen 127.0.0.1:8001; server_name other.example; }\n',
      c: 'server { listen [::]:8001 ipv6only=on; server_name example.com; }\n',
    });
    const file = (host: string, address?: string) => routeRequest(config, host, 8001, address)?.server.file.slice(-1);
    assert.equal(file('example.com'), 'a');
    assert.equal(file('example.com', '127.0.0.1'), 'b', 'to 127.0.0.1 only b listens: its first block answers');
    assert.equal(routeRequest(config, 'example.com', 8001, '127.0.0.1')?.reason, 'first-on-port');
    assert.equal(file('example.com', '::1'), 'c');
    assert.equal(config.servers[2].listens[0].ipv6only, true);
  });
});
