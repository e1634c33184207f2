// Issue 18 on a real server: the renewal Debian's certbot schedules, for a certificate from a private ACME server.
// certbot.timer starts certbot.service (`certbot -q renew`), whose environment has no REQUESTS_CA_BUNDLE, and certbot
// has no setting for it: without the wizard's drop-in the renewal cannot trust the server it renews with. In a
// booted Debian 12 guest, pebble (Debian's package, the ACME test server) runs on the guest's loopback with a CA of
// the test's own for its API, and the name resolves to the guest itself (/etc/hosts, read by pebble's resolver too):
//   https   --https with ACME_CA_BUNDLE, by an account that may sudo without a password: the certificate, the
//           timer enabled, certbot.service told the CA
//   renew   the certificate made due (renew_before_expiry), certbot.service started as the timer starts it: it
//           fails without the drop-in (the server's certificate not trusted) and renews with it
//   undo    the drop-in goes, and systemd no longer gives certbot the CA
// Run alone: npm run build && E2E_ALLOW_SYSTEM_CHANGES=1 flock /tmp/machine.lock \
//   node --test --test-reporter=spec dist/test/vm/https.test.js
import assert from 'node:assert/strict';
import { log, q } from '../e2e/machine.js';
import { sleep, timed, vmTest, type Guest } from './guest.js';
import { answersFor, bookwormWithWizard, wizardIn } from './page.js';

const ADMIN = 'di';
const NAME = 'renew.test';
const ACME = 'https://127.0.0.1:14000/dir';
const PEBBLE_DIR = '/etc/pebble-vm';
const CA = `${PEBBLE_DIR}/api-ca.pem`;
const DROP_IN = '/etc/systemd/system/certbot.service.d/uwsgi-nginx-guide-acme-ca.conf';
const ANSWERS = answersFor(ADMIN, 'renew', NAME, 8094);

/** pebble on the guest's loopback, its API under a CA of the test's own, validating http-01 on port 80 for real. */
async function startPebble(guest: Guest): Promise<void> {
  await timed('apt-get install pebble openssl', () =>
    guest.must('apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q pebble openssl', {
      timeoutMs: 5 * 60_000,
      quiet: true,
    }),
  );
  await guest.must(
    [
      `mkdir -p ${PEBBLE_DIR} && cd ${PEBBLE_DIR}`,
      'openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=vm-pebble-api-ca -keyout api-ca.key -out api-ca.pem',
      'openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout key.pem -out req.csr',
      "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext.cnf",
      'openssl x509 -req -days 2 -in req.csr -CA api-ca.pem -CAkey api-ca.key -CAcreateserial -extfile ext.cnf -out cert.pem',
    ].join(' && '),
    { quiet: true },
  );
  const config = {
    pebble: {
      listenAddress: '127.0.0.1:14000',
      managementListenAddress: '127.0.0.1:15000',
      certificate: `${PEBBLE_DIR}/cert.pem`,
      privateKey: `${PEBBLE_DIR}/key.pem`,
      httpPort: 80,
      tlsPort: 443,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  };
  await guest.writeFile(`${PEBBLE_DIR}/config.json`, JSON.stringify(config));
  // A transient unit: systemd keeps it running, and it goes with the guest.
  await guest.must(
    `systemd-run --unit=pebble-vm -E PEBBLE_VA_NOSLEEP=1 -E PEBBLE_WFE_NONCEREJECT=0 pebble -config ${PEBBLE_DIR}/config.json`,
  );
  for (
    let tries = 0;
    (await guest.run(`curl -sf --cacert ${CA} ${ACME} -o /dev/null`, { quiet: true })).code;
    tries++
  ) {
    assert.ok(tries < 40, `pebble answers at ${ACME}: ${await guest.run('journalctl -u pebble-vm -n 20 --no-pager')}`);
    await sleep(250);
  }
  await guest.must(`echo '127.0.0.1 ${NAME}' >> /etc/hosts`);
}

/** The certificate's SHA-256 fingerprint, as certbot keeps it. */
async function fingerprint(guest: Guest): Promise<string> {
  return (
    await guest.must(`openssl x509 -noout -fingerprint -sha256 -in /etc/letsencrypt/live/${NAME}/cert.pem`, {
      quiet: true,
    })
  ).trim();
}

/** certbot.service started as certbot.timer starts it; its exit and journal since `since`. */
async function renewAsTheTimerDoes(guest: Guest, since: string): Promise<{ ok: boolean; journal: string }> {
  const start = await guest.run('systemctl start certbot.service', { timeoutMs: 5 * 60_000 });
  const journal = await guest.must(`journalctl -u certbot.service --since ${q(since)} --no-pager -o cat`, {
    quiet: true,
  });
  log(`certbot.service: exit ${start.code}\n${journal}`);
  return { ok: start.code === 0, journal };
}

vmTest(
  "bookworm: the scheduled renewal (certbot.timer's certbot.service) trusts the private ACME server's CA, and undo takes it back",
  async (t) => {
    const started = Date.now();
    const guest = await bookwormWithWizard(t, ADMIN);
    await startPebble(guest);

    // --- https: the certificate from pebble, the CA given as ACME_CA_BUNDLE -------------------------------
    const https = `--yes --https --email vm@example.com --acme-server ${ACME} ${ANSWERS}`;
    const run = await wizardIn(guest, ADMIN, https, 'fresh run with --https', {
      limitMs: 25 * 60_000,
      env: `ACME_CA_BUNDLE=${CA}`,
    });
    assert.match(run.stdout, /✓ \[https\] done/);
    assert.match(run.stdout, new RegExp(`✓ the scheduled renewal \\(certbot\\.service\\) trusts ${CA}`));
    assert.equal((await guest.run('systemctl is-enabled certbot.timer', { quiet: true })).stdout.trim(), 'enabled');
    assert.equal((await guest.run('systemctl is-active certbot.timer', { quiet: true })).stdout.trim(), 'active');
    log(await guest.must('systemctl cat certbot.service'));

    // --- renew: made due, then started as the timer starts it ---------------------------------------------
    // A key of the file's top, before its [renewalparams] section (a key inside one is not read).
    await guest.must(`sed -i '1i renew_before_expiry = 36500 days' /etc/letsencrypt/renewal/${NAME}.conf`);
    const first = await fingerprint(guest);
    await guest.must(`mv ${DROP_IN} /root/drop-in.aside && systemctl daemon-reload`);
    const without = await renewAsTheTimerDoes(guest, (await guest.must('date "+%F %T"')).trim());
    assert.equal(without.ok, false, 'without the drop-in the scheduled renewal fails');
    assert.match(without.journal, /CERTIFICATE_VERIFY_FAILED|certificate verify failed/i, "pebble's API not trusted");
    assert.equal(await fingerprint(guest), first, 'and nothing was renewed');
    await guest.must(`mv /root/drop-in.aside ${DROP_IN} && systemctl daemon-reload`);
    const renewed = await timed('certbot.service with the drop-in', async () =>
      renewAsTheTimerDoes(guest, (await guest.must('date "+%F %T"')).trim()),
    );
    assert.equal(renewed.ok, true, `with it, the scheduled renewal passes:\n${renewed.journal}`);
    assert.notEqual(await fingerprint(guest), first, 'a new certificate from pebble');

    // --- undo: the drop-in goes, and systemd has certbot.service without it -------------------------------
    const undo = await wizardIn(guest, ADMIN, `undo --yes --lang en --app-name renew --user ${ADMIN}`, 'undo', {
      limitMs: 5 * 60_000,
    });
    assert.match(undo.stdout, new RegExp(`\\$ sudo rm -f ${DROP_IN.replaceAll('.', '\\.')}`));
    assert.match(undo.stdout, /\$ sudo systemctl daemon-reload/);
    assert.notEqual((await guest.run(`test -e ${DROP_IN}`)).code, 0, 'the drop-in is gone');
    const environment = await guest.must('systemctl show certbot.service -p Environment');
    assert.doesNotMatch(environment, /REQUESTS_CA_BUNDLE/, 'systemd no longer gives certbot the CA');
    assert.notEqual((await guest.run(`test -e /etc/letsencrypt/live/${NAME}`)).code, 0, 'the certificate is deleted');
    log(`the whole renewal run in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
  { timeout: 40 * 60_000 },
);
