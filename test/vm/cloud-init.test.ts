// Issue 19, the cloud-init export on a machine being created: a Debian 12 guest (guest.ts) whose disk
// gets, before its first boot, what a cloud image has (Debian's cloud-init package) and what a cloud
// gives it (the exported user-data as a NoCloud seed). It boots once; cloud-init finds the seed,
// installs the packages, makes the app's account and runs the plan; when the guest is up the page
// answers through nginx from the host. Nobody logs in to set anything up: ssh is used by the
// harness to see that the guest is up (`true`, `systemctl is-system-running --wait`) and then by
// this test only to read what cloud-init did.
//
// Why a seed directory stands for the `cidata` disk: the harness boots systemd-nspawn containers
// from a directory tree, not disk images, so there is no second disk to attach. NoCloud reads the
// same two files (user-data, meta-data) from /var/lib/cloud/seed/nocloud/ as from a disk labelled
// cidata; and in a container ds-identify (Debian 12's cloud-init 22.4) does not look for the label at
// all ("blkid will in a container … not provide useful information": read_fs_info_linux sets the
// labels to unavailable when systemd-detect-virt says systemd-nspawn), while its NoCloud check takes
// the seed directory first (check_seed_dir nocloud meta-data user-data). That check is what makes
// cloud-init run at this boot: cloud-init-generator runs ds-identify, and only when it finds a
// datasource does it link cloud-init.target into multi-user.target (no datasource: cloud-init is
// disabled for the boot). The seed's files are the same on a disk; what differs is how they reach
// the machine.
//
// The guest's network is set up from the host (guest.ts: no DHCP); cloud-init is told to leave it
// alone (`network: {config: disabled}`), as on a cloud whose image configures its own network, and
// the image names the locale it has (C.UTF-8): these are the image's settings, not the export's.
// `export` runs on the host, where the app's account must exist (as for --dry-run): it is made there
// for the test (e2evmci, no processes, removed afterwards); cloud-init makes it in the guest.
// Run: `E2E_ALLOW_SYSTEM_CHANGES=1 npm run test:vm` as root (CI=true works too).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { CLI, createServiceUser, log, q, removeUser, sh } from '../e2e/machine.js';
import { createGuest, runAsync, timed, vmTest, type Guest } from './guest.js';
import { assertPage } from './page.js';

const USER = 'e2evmci';
const APP = { name: 'firstboot', server: 'firstboot.test', processes: 2 };
/** The whole first boot, cloud-init's packages and pip included, before `is-system-running` answers. */
const FIRST_BOOT_MS = 15 * 60_000;

/** The exported user-data for Debian 12, with PyPI's prebuilt uWSGI (no compiler on a fresh machine). */
function exportUserData(dir: string): string {
  const out = join(dir, 'cloud-init');
  const answers = ['--lang', 'en', '--user', USER, '--app-name', APP.name, '--server-name', APP.server];
  answers.push('--processes', String(APP.processes), '--uwsgi-from', 'wheel');
  const command = `node ${q(CLI)} export --format cloud-init --platform debian-12 ${answers.map(q).join(' ')}`;
  const exported = sh(`XDG_STATE_HOME=${q(join(dir, 'state'))} ${command} --out ${q(out)}`);
  log(`$ ${command}\n${exported.stdout}${exported.stderr}`);
  assert.equal(exported.code, 0, 'export exits 0');
  return readFileSync(join(out, 'user-data'), 'utf8');
}

/** A work directory on the host, and the app's account there (export plans for an existing one). */
async function hostSide(t: TestContext): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vm-cloud-init-'));
  await removeUser(USER);
  createServiceUser(USER);
  t.after(async () => {
    await removeUser(USER);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * Debian's cloud-init installed into the stopped guest's own disk, as a cloud image has it: apt in a
 * chroot of its tree, with the host's network (the guest's resolv.conf names the host's nameservers).
 * Nothing starts (no systemd runs in the chroot); the package enables its units for the boot. Here
 * rather than in guest.ts's PACKAGES, which every guest's tree is built from: that would rebuild the
 * cached trees for one test, and put cloud-init in every other guest.
 */
async function installCloudInit(guest: Guest): Promise<void> {
  for (const command of [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', '--no-install-recommends', 'cloud-init'],
    ['apt-get', 'clean'],
  ]) {
    const run = await runAsync('chroot', [guest.tree, 'env', 'DEBIAN_FRONTEND=noninteractive', ...command], {
      timeoutMs: 10 * 60_000,
    });
    assert.equal(run.code, 0, `chroot ${command.join(' ')}:\n${run.stdout.slice(-3000)}${run.stderr.slice(-3000)}`);
  }
  const version = await runAsync('chroot', [guest.tree, 'dpkg-query', '-W', 'cloud-init'], { timeoutMs: 30_000 });
  log(`${version.stdout.trim()} in ${guest.name}'s disk`);
}

/** The NoCloud seed (user-data, meta-data) and the image's own setting, written into the stopped guest's tree. */
function seed(guest: Guest, userData: string): void {
  const at = (path: string) => join(guest.tree, path);
  mkdirSync(at('var/lib/cloud/seed/nocloud'), { recursive: true });
  writeFileSync(at('var/lib/cloud/seed/nocloud/user-data'), userData, { mode: 0o600 });
  // A new instance-id is what makes a boot the instance's first: cloud-init runs its per-instance modules once.
  writeFileSync(at('var/lib/cloud/seed/nocloud/meta-data'), `instance-id: iid-${guest.name}-${Date.now()}\n`);
  writeFileSync(
    at('etc/cloud/cloud.cfg.d/99-harness-image.cfg'),
    [
      '# The harness configures eth0 from the host (test/vm/guest.ts); cloud-init leaves the network alone.',
      'network: {config: disabled}',
      "# The locale this image has: minbase generates none, and cloud-init's default (en_US.UTF-8) would",
      '# fail update-locale (exit 255) and be counted as an error of the boot.',
      'locale: C.UTF-8',
      '',
    ].join('\n'),
  );
}

vmTest(
  'cloud-init: the exported user-data as a NoCloud seed sets the site up at first boot, nobody logged in',
  async (t) => {
    const started = Date.now();
    const dir = await hostSide(t);
    const userData = exportUserData(dir);
    assert.match(userData, /pip install --only-binary=:all: pyuwsgi/);

    const guest = await createGuest('bookworm', { hostname: 'firstboot', timeouts: { bootMs: FIRST_BOOT_MS } });
    t.after(() => guest.destroy());
    await timed('cloud-init installed into the disk', () => installCloudInit(guest));
    seed(guest, userData);

    // Booted once; ready when systemd has finished the boot, cloud-final (packages, runcmd) among its jobs.
    const bootStarted = Date.now();
    await guest.start();
    const bootSeconds = (Date.now() - bootStarted) / 1000;
    await assertPage(guest, APP.server, 30_000);
    log(`first boot to the page through nginx: ${bootSeconds.toFixed(1)} s`);

    // Only reading from here on: what cloud-init found and did. Every unit of the boot succeeded (cloud-init's too).
    assert.equal((await guest.run('systemctl is-system-running')).stdout.trim(), 'running');
    const generator = await guest.must('cat /run/cloud-init/cloud-init-generator.log');
    assert.match(generator, /ds-identify rc=0/, 'ds-identify found a datasource, so cloud-init ran at this boot');
    const identified = await guest.must('cat /run/cloud-init/ds-identify.log');
    assert.match(identified, /^VIRT=systemd-nspawn$/m);
    assert.match(identified, /^is_container=true$/m);
    assert.match(identified, /^FS_LABELS=unavailable:container$/m, 'no disk label is looked for in a container');
    assert.match(identified, /Found single datasource: NoCloud/);
    const result = JSON.parse(await guest.must('cat /run/cloud-init/result.json')) as {
      v1: { datasource: string; errors: string[] };
    };
    log(JSON.stringify(result));
    assert.match(result.v1.datasource, /^DataSourceNoCloud \[seed=\/var\/lib\/cloud\/seed\/nocloud\]/);
    assert.deepEqual(result.v1.errors, [], 'cloud-init reports no error');
    const status = await guest.run('cloud-init status --long');
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /^status: done$/m);
    const output = await guest.must('cat /var/log/cloud-init-output.log');
    log(output.split('\n').slice(-25).join('\n'));
    assert.match(output, /uwsgi-nginx-guide export: done, changes made/, "the plan's runcmd ran to its end");

    // The app as the plan made it: its account, PyPI's pyuwsgi in the venv, the service active.
    await guest.must(`id ${USER}`);
    const venv = `/home/${USER}/${APP.name}/${APP.name}env`;
    assert.match(
      await guest.must(`ls ${venv}/lib/python3.11/site-packages`),
      /^pyuwsgi-[\d.]+(\.post\d+)?\.dist-info$/m,
    );
    assert.equal((await guest.must(`systemctl is-active ${APP.name}`)).trim(), 'active');
    assert.equal((await guest.must('systemctl is-enabled nginx')).trim(), 'enabled');
    log(`cloud-init test: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  },
  { timeout: 30 * 60_000 },
);
