// Issue 18 for real: the HTTPS step with Debian's certbot and its nginx plugin against pebble, the ACME test server
// Let's Encrypt publishes (Debian's package), started here on loopback with a CA of the test's own for its API. The
// test name resolves through /etc/hosts, which pebble's resolver reads too: pebble validates the http-01 challenge
// for real, on port 80 of this machine, through the nginx site certbot edits. Nothing reaches the internet.
//
// First the name resolves elsewhere (192.0.2.10, TEST-NET-1): the wizard says so before certbot runs, and nothing
// is changed. Then it resolves here: the certificate, the redirect, the renewal, a second run that changes nothing,
// and undo, which puts the plain-HTTP site back and deletes the certificate.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or E2E_ALLOW_SYSTEM_CHANGES=1. Only
// names of its own are used (user e2ehttps, app e2ehttps, https.e2e.test, test port 8341); pebble is stopped by its
// pid, the line in /etc/hosts and certbot's state for the name are removed afterwards.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertCompleted,
  CLI,
  createServiceUser,
  ensurePackageInstalled,
  heading,
  log,
  machineTest,
  must,
  plannedFiles,
  q,
  removeAppsAndUser,
  runWizard,
  STEP_IDS,
  sh,
  summaryStatuses,
  testApp,
  waitUntil,
} from './machine.js';

const USER = 'e2ehttps';
const APP = testApp(USER, 'e2ehttps', 'https.e2e.test', 8341);
const NAME = APP.server;
const ACME = 'https://127.0.0.1:14000/dir';
const ANSWERS = [...APP.answers, '--processes', '2'];
const HTTPS = ['--https', '--email', 'e2e@example.com', '--acme-server', ACME];
const HOSTS = '/etc/hosts';
const HOSTS_MARK = '# uwsgi-nginx-guide e2e (https)';
const SITE = `/etc/nginx/sites-available/${APP.name}`;

/** The name resolves to `address` here (and for pebble): one marked line in /etc/hosts, replaced each time. */
function resolveNameTo(address: string | undefined): void {
  const kept = readFileSync(HOSTS, 'utf8')
    .split('\n')
    .filter((line) => !line.endsWith(HOSTS_MARK));
  if (address !== undefined)
    kept.splice(kept.length - (kept.at(-1) === '' ? 1 : 0), 0, `${address} ${NAME} ${HOSTS_MARK}`);
  writeFileSync(HOSTS, kept.join('\n'));
  log(`$ getent hosts ${NAME}\n${sh(`getent hosts ${NAME}`).stdout.trim() || '(nothing)'}`);
}

/** A CA of the test's own and pebble's certificate for 127.0.0.1, signed by it: certbot trusts it through ACME_CA_BUNDLE. */
function pebbleCertificates(dir: string): { ca: string; cert: string; key: string } {
  const ca = join(dir, 'ca.pem');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  must(
    `openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=e2e-pebble-api-ca -keyout ${q(join(dir, 'ca.key'))} -out ${q(ca)} 2>&1`,
  );
  must(
    `openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout ${q(key)} -out ${q(join(dir, 'req.csr'))} 2>&1`,
  );
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  must(
    `openssl x509 -req -days 2 -in ${q(join(dir, 'req.csr'))} -CA ${q(ca)} -CAkey ${q(join(dir, 'ca.key'))} -CAcreateserial -extfile ${q(join(dir, 'ext.cnf'))} -out ${q(cert)} 2>&1`,
  );
  return { ca, cert, key };
}

/** pebble on loopback, validating http-01 on port 80 for real; resolves once its directory answers. */
async function startPebble(dir: string, tls: { cert: string; key: string; ca: string }): Promise<ChildProcess> {
  const config = join(dir, 'pebble-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: '127.0.0.1:14000',
        managementListenAddress: '127.0.0.1:15000',
        certificate: tls.cert,
        privateKey: tls.key,
        httpPort: 80,
        tlsPort: 443,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const pebble = spawn('pebble', ['-config', config], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pebble.stdout?.on('data', (d: Buffer) => log(`pebble│ ${d.toString().trimEnd()}`));
  pebble.stderr?.on('data', (d: Buffer) => log(`pebble│ ${d.toString().trimEnd()}`));
  const up = await waitUntil(() => sh(`curl -sf --cacert ${q(tls.ca)} ${ACME} -o /dev/null`).code === 0, 20_000);
  assert.ok(up, 'pebble answers at its directory');
  return pebble;
}

function forgetCertificate(): void {
  if (existsSync(`/etc/letsencrypt/renewal/${NAME}.conf`)) sh(`certbot delete --non-interactive --cert-name ${NAME}`);
  sh(`rm -rf /etc/letsencrypt/live/${NAME} /etc/letsencrypt/archive/${NAME} /etc/letsencrypt/renewal/${NAME}.conf`);
  // certbot's account with pebble, and a copy of the site a failed run may have left.
  sh(`rm -rf /etc/letsencrypt/accounts/127.0.0.1:14000 ${SITE}.bak-*`);
}

machineTest(
  'issue 18: the HTTPS step against pebble: refused before certbot when the name leads elsewhere; then the certificate, the redirect, the renewal, a second run, undo',
  async (t, { dir, stateOf }) => {
    const env = { ...stateOf('https'), ACME_CA_BUNDLE: '' };
    for (const name of ['pebble', 'certbot', 'python3-certbot-nginx']) ensurePackageInstalled(name);
    const tls = pebbleCertificates(dir);
    env.ACME_CA_BUNDLE = tls.ca;
    let pebble: ChildProcess | undefined;
    t.after(async () => {
      if (pebble?.pid !== undefined && pebble.exitCode === null) {
        log(`stopping pebble, pid ${pebble.pid}`);
        process.kill(pebble.pid, 'SIGTERM');
      }
      resolveNameTo(undefined);
      forgetCertificate();
      await removeAppsAndUser(USER, [APP.name]);
    });
    forgetCertificate();
    pebble = await startPebble(dir, tls);
    createServiceUser(USER);
    const plain = plannedFiles(
      must(`${q(process.execPath)} ${q(CLI)} --dry-run ${ANSWERS.map(q).join(' ')} --user ${USER}`),
    ).find((file) => file.path === SITE);
    assert.ok(plain, 'the plan writes the site');

    heading('1. the name resolves elsewhere (192.0.2.10): said before certbot runs, nothing changed');
    resolveNameTo('192.0.2.10');
    const refused = await runWizard(['--yes', ...HTTPS, ...ANSWERS], { env });
    assert.equal(refused.code, 1, 'the run stops at the HTTPS step');
    assert.equal(summaryStatuses(refused).get('https'), 'failed');
    assert.match(
      refused.stdout,
      new RegExp(`${NAME.replaceAll('.', '\\.')} resolves to 192\\.0\\.2\\.10, which is not this server`),
      'in plain words',
    );
    assert.match(refused.stdout, /Nothing was changed\. Point the name's DNS record at this server/);
    assert.doesNotMatch(refused.stdout, /\$ (env \S+ )?certbot /, 'certbot never ran');
    assert.equal(readFileSync(SITE, 'utf8'), plain.content, 'the site is as the nginx step wrote it');
    assert.ok(!existsSync(`/etc/letsencrypt/live/${NAME}`), 'no certificate');

    heading('2. the name resolves here: certbot --nginx against pebble');
    resolveNameTo('127.0.0.1');
    const run = await runWizard(['--yes', ...HTTPS, ...ANSWERS], { env });
    assertCompleted(run, 'the run with --https', [...STEP_IDS.slice(0, -1), 'https', 'conclusion']);
    assert.match(run.stdout, /\$ env REQUESTS_CA_BUNDLE=\S+ certbot --nginx --non-interactive/);
    assert.match(run.stdout, /✓ nginx serves certbot's certificate/);

    heading("the page over HTTPS, checked against pebble's own root");
    const root = join(dir, 'pebble-root.pem');
    must(`curl -sf --cacert ${q(tls.ca)} https://127.0.0.1:15000/roots/0 -o ${q(root)}`);
    const page = must(`curl -sS --fail --cacert ${q(root)} --resolve ${NAME}:443:127.0.0.1 https://${NAME}/`);
    log(`$ curl --cacert pebble-root.pem https://${NAME}/\n${page.trim()}`);
    assert.match(page, /Hello There!/);
    const served = must(
      `openssl s_client -connect 127.0.0.1:443 -servername ${NAME} -CAfile ${q(root)} </dev/null 2>&1`,
    );
    const leaf = must(
      `openssl s_client -connect 127.0.0.1:443 -servername ${NAME} </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -ext subjectAltName`,
    );
    log(leaf);
    assert.match(served, /Verify return code: 0 \(ok\)/, "the chain verifies against pebble's root");
    assert.match(leaf, new RegExp(`DNS:${NAME.replaceAll('.', '\\.')}`), 'the certificate is for the name');
    assert.match(leaf, /issuer=.*Pebble/i, 'issued by pebble');
    const redirect = must(
      `curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: ${NAME}' http://127.0.0.1/`,
    );
    assert.equal(redirect, `301 https://${NAME}/`, 'http:// answers 301 to https://');
    must('nginx -t 2>&1');
    must(
      `env REQUESTS_CA_BUNDLE=${q(tls.ca)} certbot renew --dry-run --no-random-sleep-on-renew --cert-name ${NAME} --server ${ACME} 2>&1`,
      300_000,
    );

    heading('the doctor after HTTPS: a healthy site (the 301 on port 80 is the redirect, not a broken page)');
    const doctor = await runWizard(
      ['doctor', '--json', '--app-name', APP.name, '--server-name', NAME, '--user', USER, '--lang', 'en'],
      { env, once: true, prefix: 'doctor│ ' },
    );
    const report = JSON.parse(doctor.stdout) as { healthy: boolean; findings: unknown[] };
    assert.deepEqual(report.findings, [], 'no finding');
    assert.equal(report.healthy, true);
    assert.equal(doctor.code, 0, 'exit 0 when healthy');

    heading('3. again, without the flags (the record keeps the choice): nothing changes');
    const again = await runWizard(['--yes', ...ANSWERS], { env });
    assertCompleted(again, 'the second run', [...STEP_IDS.slice(0, -1), 'https', 'conclusion']);
    assert.equal(summaryStatuses(again).get('https'), 'already done');
    assert.equal(
      summaryStatuses(again).get('nginx'),
      'already done',
      'the nginx step finds its site, edited by certbot',
    );
    assert.doesNotMatch(again.stdout, /\$ (env \S+ )?certbot /, 'certbot does not run again');

    const copies = must(`ls -1 ${SITE}.bak-*`).trim().split('\n');
    assert.equal(copies.length, 1, 'one copy kept before certbot edited the site');
    assert.equal(readFileSync(copies[0]!, 'utf8'), plain.content, 'the copy is the plain-HTTP site');
    assert.notEqual(readFileSync(SITE, 'utf8'), plain.content, 'certbot edited the site');

    heading('4. undo: the plain-HTTP site put back from its copy, the certificate deleted');
    const backup = /replaced (\S+) \(earlier version in (\S+)\)/;
    const undo = await runWizard(['undo', '--yes', ...ANSWERS], { env, prefix: 'undo│ ' });
    assert.equal(undo.code, 0, undo.stderr);
    const listed = backup.exec(undo.stdout);
    assert.ok(listed, 'undo lists the site certbot edited, with its copy');
    assert.match(undo.stdout, new RegExp(`\\$ mv -f ${listed[2]!.replaceAll('.', '\\.')} ${SITE}`), 'put back first');
    assert.match(undo.stdout, new RegExp(`\\$ certbot delete --non-interactive --cert-name ${NAME}`));
    assert.ok(
      undo.stdout.indexOf(`mv -f ${listed[2]}`) < undo.stdout.indexOf('certbot delete'),
      'the site is put back before the certificate it names is deleted',
    );
    assert.ok(!existsSync(`/etc/letsencrypt/live/${NAME}`), 'the certificate is gone');
    assert.ok(!existsSync(SITE), 'and, as the rest of the guide is undone, the site too');
  },
);
