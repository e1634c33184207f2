// Issue 18, the HTTPS step: planned only when chosen; stopped before certbot, with nothing changed, when a pitfall
// would make the certificate authority refuse; the site certbot edits kept aside first and put back when nginx -t
// fails afterwards, the certificate kept (undo offers it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepare } from '../../src/app/answers.js';
import { runUndo } from '../../src/app/undo.js';
import type { JournalEntry } from '../../src/engine/journal.js';
import { emptyProgress, type Progress } from '../../src/engine/progress.js';
import { formatPlan } from '../../src/engine/plan.js';
import { WizardSession } from '../../src/engine/session.js';
import type { CommandAction, Plan, Probe } from '../../src/engine/types.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { fakeSurroundings } from '../fake-surroundings.js';
import { ANSWERS, debian12, EVERY_OPTIONAL_STEP, FakeSystem, makeContext, planFor, planOf } from '../helpers.js';

const SITE = '/etc/nginx/sites-available/myapp';
const HTTPS = { https: { email: 'admin@example.com', acmeServer: 'https://acme.test/dir', caBundle: '/ca.pem' } };

function httpsStep(): Plan {
  const step = planFor({ chosen: HTTPS }).steps.find((s) => s.id === 'https');
  assert.ok(step, 'the HTTPS step is planned');
  return planOf(step);
}

/** `leadsElsewhere`: the name resolves to an address that is not this machine. `configFails`: nginx -t after certbot. */
async function runHttps(options: { leadsElsewhere?: boolean; configFails?: boolean; edits?: boolean }) {
  let certified = false;
  const fake = new FakeSystem({
    commands: { 'nginx-configtest-https': { exitCode: options.configFails ? 1 : 0 } },
    probe: (_name, asked, probe: Probe) => {
      const line = probe.kind === 'command' ? probe.command : '';
      if (line.includes('getent ahosts') && line.includes('hostname -I'))
        return { ok: !options.leadsElsewhere, observed: { kind: 'command', exitCode: 1, output: ['192.0.2.10'] } };
      if (line.includes('/etc/letsencrypt/live/example.com/cert.pem') && line.startsWith('test')) return certified;
      // The other pitfalls pass; the step's own checks say "not yet" when asked ahead, so that it runs.
      if (['getent ahosts', 'ufw status', "grep -F 'server_name"].some((part) => line.includes(part))) return true;
      return asked > 0;
    },
  });
  fake.files.set(SITE, 'server { listen 80; }\n');
  const start = fake.start.bind(fake);
  const started: string[] = [];
  fake.start = (action: CommandAction, onOutput) => {
    started.push(action.command);
    if (action.id === 'certbot-nginx') {
      certified = true;
      if (options.edits !== false) fake.files.set(SITE, 'server { listen 443 ssl; }\n');
    }
    if (action.command.startsWith('mv -f ')) fake.files.set(SITE, 'server { listen 80; }\n');
    return start(action, onOutput);
  };
  const recorded: JournalEntry[][] = [];
  const printed: string[] = [];
  const plan = httpsStep();
  const session = new WizardSession(plan, fake, {
    auto: true,
    pollMs: 2,
    now: () => Date.UTC(2026, 10, 24, 4, 30),
    onJournal: (entries) => recorded.push(entries),
    undoContext: makeContext({ chosen: HTTPS }),
  });
  session.subscribe(plainPrinter((text) => printed.push(text), 'en', session.getState()));
  const final = await session.run();
  return { fake, started, journal: recorded.at(-1) ?? [], printed: printed.join(''), final };
}

describe('the HTTPS step (issue 18)', () => {
  it('is not planned unless chosen: the guide path is unchanged', () => {
    assert.equal(
      planFor().steps.some((s) => s.id === 'https'),
      false,
    );
  });

  it('installs certbot, runs certbot --nginx with the redirect (the ACME server and its CA as chosen), tests and reloads nginx, proves the renewal', () => {
    const commands = httpsStep().steps[0]!.actions.map((a) => (a.kind === 'command' ? a.command : a.path));
    assert.deepEqual(commands, [
      'DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y certbot python3-certbot-nginx',
      'env REQUESTS_CA_BUNDLE=/ca.pem certbot --nginx --non-interactive --agree-tos --email admin@example.com --domains example.com --cert-name example.com --redirect --server https://acme.test/dir',
      'nginx -t',
      "sh -c 'if service nginx status >/dev/null; then service nginx reload; else service nginx restart; fi'",
      'env REQUESTS_CA_BUNDLE=/ca.pem certbot renew --dry-run --no-random-sleep-on-renew --cert-name example.com --server https://acme.test/dir',
    ]);
    const text = formatPlan(planFor({ chosen: EVERY_OPTIONAL_STEP }), 'en');
    for (const before of [
      'the site is enabled (/etc/nginx/sites-enabled/myapp) and answers for example.com',
      'example.com resolves to an address',
      'example.com leads to this server',
      'port 80 is open in the firewall (or no firewall is on)',
    ])
      assert.match(text, new RegExp(`first asks: ${before.replace(/[()/.]/g, '\\$&')}`));
    assert.match(text, /ufw allow 'Nginx Full'/, 'with HTTPS the firewall step opens 443 too');
  });

  it('the name leading elsewhere stops the step before its first command, in plain words, and nothing is changed', async () => {
    const { started, journal, printed, final } = await runHttps({ leadsElsewhere: true });
    assert.deepEqual(started, [], 'nothing ran: not apt, not certbot');
    assert.deepEqual(journal, []);
    assert.equal(final.statuses.https, 'failed');
    assert.match(printed, /example\.com resolves to 192\.0\.2\.10, which is not this server/);
    assert.match(printed, /Nothing was changed\. Point the name's DNS record at this server/);
  });

  it('nginx -t failing after certbot: the site is put back from the copy kept before, the certificate stays', async () => {
    const { started, journal, fake, final } = await runHttps({ configFails: true });
    const copy = `${SITE}.bak-20261124T043000`;
    assert.ok(started.includes(`cp -p ${SITE} ${copy}`), 'a copy is kept before certbot runs');
    assert.ok(
      started.indexOf(`cp -p ${SITE} ${copy}`) < started.findIndex((c) => c.includes('certbot --nginx')),
      'before',
    );
    assert.ok(started.includes(`mv -f ${copy} ${SITE}`), 'and put back when nginx -t fails');
    assert.equal(fake.files.get(SITE), 'server { listen 80; }\n');
    assert.ok(!started.some((c) => c.startsWith('certbot delete')), 'the certificate is not deleted by a rollback');
    assert.deepEqual(journal, [{ kind: 'certified', step: 'https', action: 'certbot-nginx', name: 'example.com' }]);
    assert.equal(final.statuses.https, 'failed');
  });

  it('certbot leaving the site as it was: its copy is not kept, and nothing of the site is journaled', async () => {
    const { started, journal } = await runHttps({ edits: false });
    assert.ok(started.includes(`rm -f ${SITE}.bak-20261124T043000`), 'the unneeded copy is removed');
    assert.deepEqual(
      journal.map((e) => e.kind),
      ['certified'],
    );
  });

  it('done: the site edited is journaled with its copy, after the certificate (undo puts the site back first)', async () => {
    const { journal } = await runHttps({});
    assert.deepEqual(journal, [
      { kind: 'certified', step: 'https', action: 'certbot-nginx', name: 'example.com' },
      {
        kind: 'file',
        step: 'https',
        action: 'certbot-nginx',
        path: SITE,
        owner: 'root',
        backup: `${SITE}.bak-20261124T043000`,
      },
    ]);
  });
});

describe('undo after the HTTPS step (issue 18)', () => {
  const COPY = `${SITE}.bak-20261124T043000`;
  const journal: JournalEntry[] = [
    { kind: 'certified', step: 'https', action: 'certbot-nginx', name: 'example.com' },
    { kind: 'file', step: 'https', action: 'certbot-nginx', path: SITE, owner: 'root', backup: COPY },
  ];
  const record = { ...emptyProgress(ANSWERS, '2026-11-24T04:30:00.000Z'), journal } as Progress;

  async function undo(confirm: boolean[], yes = false) {
    const system = new FakeSystem();
    const fake = fakeSurroundings({ system, progress: record, stdinIsTTY: true, answers: { confirm } });
    const code = await runUndo(fake.s, {
      appName: 'myapp',
      platform: 'debian-12',
      lang: 'en',
      ...(yes ? { yes } : {}),
    });
    return { code, fake, system };
  }

  it('puts the plain-HTTP site back first, then deletes the certificate when the person says so', async () => {
    const { code, fake } = await undo([true, true]);
    assert.equal(code, 0, fake.stderr.text);
    const out = fake.stdout.text;
    assert.match(out, /obtained the certificate example\.com \(certbot\)/);
    assert.ok(
      out.indexOf(`$ mv -f ${COPY} ${SITE}`) <
        out.indexOf('$ certbot delete --non-interactive --cert-name example.com'),
    );
    assert.deepEqual(fake.written.at(-1)?.progress.journal, []);
  });

  it('the certificate is its own question, default No: kept, and kept in the record for the next undo', async () => {
    const { code, fake } = await undo([true, false]);
    assert.equal(code, 0, fake.stderr.text);
    assert.equal(
      fake.asked.at(-1)?.message,
      "Delete the certificate too (certbot delete --cert-name example.com)? Getting it again counts against the authority's limits.",
    );
    const ran = fake.stdout.text.split('\n').filter((line) => line.startsWith('$ '));
    assert.ok(ran.includes(`$ mv -f ${COPY} ${SITE}`), 'the site is put back');
    assert.ok(!ran.some((line) => line.includes('certbot delete')), 'the certificate is not deleted');
    assert.deepEqual(fake.written.at(-1)?.progress.journal, [journal[0]]);
  });
});

describe('the optional steps an installation chose are kept in its record (issue 18)', () => {
  const chosen = { firewall: true, https: { email: 'admin@example.com' } };
  const record = { ...emptyProgress(ANSWERS, '2026-11-24T04:30:00.000Z'), chosen } as Progress;
  const flags = {
    appName: 'myapp',
    user: 'demo',
    serverName: 'example.com',
    platform: 'debian-12',
    lang: 'en' as const,
  };

  it('a later run without the flags plans them again, and asks nothing about them', async () => {
    const fake = fakeSurroundings({
      progress: record,
      stdinIsTTY: true,
      answers: { input: ['8080'], confirm: [false] },
    });
    fake.s.machine.firewallState = async () => 'active';
    const { plan } = await prepare(
      fake.s,
      { ...flags, appDir: '/home/demo/myapp', webGroup: 'www-data', processes: '5' },
      true,
      'run',
    );
    assert.deepEqual(
      plan.steps.slice(-3).map((s) => s.id),
      ['firewall', 'https', 'conclusion'],
    );
    assert.ok(!fake.asked.some((q) => /certificate|firewall/.test(q.message)), JSON.stringify(fake.asked));
  });

  it('status and undo plan them too', async () => {
    const fake = fakeSurroundings({ progress: record });
    const { plan } = await prepare(fake.s, flags, false, 'inspect');
    assert.ok(plan.steps.some((s) => s.id === 'https'));
    assert.ok(
      plan.steps.some((s) => s.id === 'firewall'),
      'kept where ufw cannot be asked (status)',
    );
  });
});

describe("the scheduled renewal and a private ACME server's CA (issue 18)", () => {
  const DROP_IN = '/etc/systemd/system/certbot.service.d/uwsgi-nginx-guide-acme-ca.conf';

  function stepOn(serviceManager: 'systemd' | 'none', https: object = HTTPS.https): Plan {
    const step = planFor({ chosen: { https } as never, platform: debian12(serviceManager) }).steps.find(
      (s) => s.id === 'https',
    );
    assert.ok(step);
    return planOf(step);
  }

  it('under systemd, certbot.service is given REQUESTS_CA_BUNDLE by a drop-in, read at once, and checked', () => {
    const step = stepOn('systemd').steps[0]!;
    const actions = step.actions.map((a) => (a.kind === 'command' ? a.command : `write ${a.path}`));
    assert.deepEqual(actions.slice(-3), [
      'mkdir -p /etc/systemd/system/certbot.service.d',
      `write ${DROP_IN}`,
      'systemctl daemon-reload',
    ]);
    const file = step.actions.find((a) => a.kind === 'file');
    assert.ok(file?.kind === 'file');
    assert.match(file.content, /^\[Service\]\nEnvironment="REQUESTS_CA_BUNDLE=\/ca\.pem"\n$/m);
    assert.equal(file.mode, 0o644);
    const check = step.checks.find((c) => c.id === 'renewal-knows-ca');
    assert.ok(check?.probe.kind === 'command');
    assert.equal(
      check.probe.command,
      'systemctl show certbot.service -p Environment | grep -F REQUESTS_CA_BUNDLE=/ca.pem',
    );
  });

  it("a path with systemd's special characters is quoted for it", () => {
    const file = stepOn('systemd', { ...HTTPS.https, caBundle: '/srv/my "ca"/100%.pem' }).steps[0]!.actions.find(
      (a) => a.kind === 'file',
    );
    assert.ok(file?.kind === 'file');
    assert.match(file.content, /^Environment="REQUESTS_CA_BUNDLE=\/srv\/my \\"ca\\"\/100%%\.pem"$/m);
  });

  it('without a CA bundle nothing is added; where cron renews, a note says the renewal will not trust it', () => {
    const plain = stepOn('systemd', { email: 'admin@example.com' }).steps[0]!;
    assert.ok(!plain.actions.some((a) => a.kind === 'file'));
    assert.ok(!plain.checks.some((c) => c.id === 'renewal-knows-ca'));
    const cron = stepOn('none').steps[0]!;
    assert.ok(!cron.actions.some((a) => a.kind === 'file'), 'no drop-in where systemd does not run');
    assert.match(formatPlan(stepOn('none'), 'en'), /runs from \/etc\/cron\.d\/certbot.*will not trust \/ca\.pem/s);
    assert.match(formatPlan(stepOn('none'), 'ja'), /\/etc\/cron\.d\/certbot.*\/ca\.pem を信頼しません/s);
  });

  it('undo removes the drop-in and its directory, then has systemd read certbot.service again', async () => {
    const journal: JournalEntry[] = [
      {
        kind: 'created',
        step: 'https',
        action: 'certbot-drop-in-dir',
        path: '/etc/systemd/system/certbot.service.d',
        made: 'directory',
        runAs: 'root',
      },
      { kind: 'file', step: 'https', action: 'write-certbot-ca-drop-in', path: DROP_IN, owner: 'root' },
    ];
    const record = { ...emptyProgress(ANSWERS, '2026-11-24T04:30:00.000Z'), journal } as Progress;
    const fake = fakeSurroundings({ system: new FakeSystem(), progress: record });
    const code = await runUndo(fake.s, { appName: 'myapp', platform: 'debian-12', lang: 'en', yes: true });
    assert.equal(code, 0, fake.stderr.text);
    const ran = fake.stdout.text.split('\n').filter((line) => line.startsWith('$ '));
    assert.deepEqual(ran, [
      `$ rm -f ${DROP_IN}`,
      '$ rmdir /etc/systemd/system/certbot.service.d',
      '$ systemctl daemon-reload',
    ]);
  });

  it('a CA bundle path with a line break is refused before anything runs', async () => {
    const fake = fakeSurroundings({});
    fake.s.acmeCaBundle = '/ca.pem\nExecStartPre=/bin/false';
    await assert.rejects(
      prepare(
        fake.s,
        {
          appName: 'myapp',
          user: 'demo',
          serverName: 'example.com',
          platform: 'debian-12',
          lang: 'en',
          https: true,
          email: 'admin@example.com',
          acmeServer: 'https://acme.test/dir',
        },
        false,
        'run',
      ),
      /ACME_CA_BUNDLE "\/ca\.pem\\nExecStartPre=\/bin\/false": a path with a control character/,
    );
  });
});
