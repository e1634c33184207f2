// The platform table and detection: which row a machine gets, and what the machine itself says
// taking precedence over the row.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allPlatforms,
  choosePlatform,
  describePlatform,
  parseOsRelease,
  platformByName,
  type MachineFacts,
} from '../../src/engine/platforms.js';

const UBUNTU_2204 = parseOsRelease(`PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
`);

const DEBIAN_12 = parseOsRelease(`PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`);

const systemd: MachineFacts = { serviceManager: 'systemd' };

describe('the platform table', () => {
  it('names every release of the issue, each also without a service manager', () => {
    const releases = [
      'ubuntu-14.04',
      'ubuntu-16.04',
      'ubuntu-18.04',
      'ubuntu-20.04',
      'ubuntu-22.04',
      'ubuntu-24.04',
      'debian-10',
      'debian-11',
      'debian-12',
      'debian-13',
    ];
    assert.deepEqual(
      allPlatforms().map((p) => p.id),
      releases.flatMap((id) => [id, `${id}-noinit`]),
    );
  });

  it('ubuntu-14.04 is the guide: Python 2, its packages, virtualenv, Upstart, the socket beside the app, service nginx configtest', () => {
    const guide = platformByName('ubuntu-14.04')!;
    assert.equal(guide.serviceManager, 'upstart');
    assert.equal(guide.pythonMajor, 2);
    assert.deepEqual(guide.aptPackages, ['python-dev', 'python-pip', 'nginx']);
    assert.equal(guide.venvTool, 'virtualenv');
    assert.equal(guide.socketInAppDir, true);
    assert.equal(guide.nginxConfigTest, 'service nginx configtest');
    assert.equal(guide.nginxRestart, 'service nginx restart');
  });

  it('every later release: Python 3 packages, venv, systemd, the socket in /run, nginx -t', () => {
    for (const p of allPlatforms().filter((p) => !p.id.startsWith('ubuntu-14.04'))) {
      assert.equal(p.pythonMajor, 3, p.id);
      assert.deepEqual(p.aptPackages, ['python3-dev', 'python3-venv', 'build-essential', 'nginx'], p.id);
      assert.equal(p.venvTool, 'venv', p.id);
      assert.equal(p.venvPackage, `python${p.pythonVersion}-venv`, p.id);
      assert.equal(p.socketInAppDir, false, p.id);
      assert.equal(p.nginxConfigTest, 'nginx -t', p.id);
      assert.equal(p.serviceManager, p.id.endsWith('-noinit') ? 'none' : 'systemd', p.id);
    }
  });

  it('PEP 668 only where EXTERNALLY-MANAGED ships: Debian 12 and 13, Ubuntu 24.04', () => {
    const managed = allPlatforms()
      .filter((p) => p.externallyManaged && !p.id.endsWith('-noinit'))
      .map((p) => p.id);
    assert.deepEqual(managed, ['ubuntu-24.04', 'debian-12', 'debian-13']);
  });

  it('names the oldest uWSGI for Python 3.12 and 3.13 only', () => {
    const minimums = Object.fromEntries(
      allPlatforms()
        .filter((p) => p.uwsgiMinimum && !p.id.endsWith('-noinit'))
        .map((p) => [p.id, p.uwsgiMinimum]),
    );
    assert.deepEqual(minimums, { 'ubuntu-24.04': '2.0.23', 'debian-13': '2.0.27' });
  });

  it('without a service manager, nginx is restarted through its init script', () => {
    const noInit = platformByName('debian-12-noinit')!;
    assert.equal(noInit.serviceManager, 'none');
    assert.equal(noInit.nginxRestart, 'service nginx restart');
    assert.equal(platformByName('debian-12')!.nginxRestart, 'systemctl restart nginx');
  });

  it('describes each platform on one line that starts with its name', () => {
    for (const p of allPlatforms()) {
      const line = describePlatform(p);
      assert.ok(line.startsWith(`${p.id} `), line);
      assert.ok(!line.includes('\n'), line);
    }
  });

  it('knows no other name', () => {
    assert.equal(platformByName('debian-12-systemd'), undefined);
    assert.equal(platformByName('centos-7'), undefined);
  });
});

describe('choosePlatform', () => {
  it('a release in the table gets its row, named as the machine calls itself', () => {
    const p = choosePlatform(UBUNTU_2204, systemd);
    assert.equal(p.id, 'ubuntu-22.04');
    assert.equal(p.prettyName, 'Ubuntu 22.04.4 LTS');
    assert.equal(p.serviceManager, 'systemd');
  });

  it('the service manager found overrides the row: Debian 12 in a container is debian-12-noinit', () => {
    const p = choosePlatform(DEBIAN_12, { serviceManager: 'none', python3Version: '3.11', externallyManaged: true });
    assert.equal(p.id, 'debian-12-noinit');
    assert.equal(p.serviceManager, 'none');
    assert.equal(p.nginxRestart, 'service nginx restart');
  });

  it('the guide system with Upstart', () => {
    const p = choosePlatform(
      { ID: 'ubuntu', VERSION_ID: '14.04', PRETTY_NAME: 'Ubuntu 14.04.6 LTS' },
      { serviceManager: 'upstart' },
    );
    assert.equal(p.id, 'ubuntu-14.04');
    assert.equal(p.pythonMajor, 2);
  });

  it('the Python found, and whether it is externally managed, override the row', () => {
    const p = choosePlatform(UBUNTU_2204, {
      serviceManager: 'systemd',
      python3Version: '3.11',
      externallyManaged: true,
    });
    assert.equal(p.pythonVersion, '3.11');
    assert.equal(p.venvPackage, 'python3.11-venv');
    assert.equal(p.externallyManaged, true);
  });

  it('before python3 is installed, the row says what to expect', () => {
    const p = choosePlatform(DEBIAN_12, { serviceManager: 'none' });
    assert.equal(p.pythonVersion, '3.11');
    assert.equal(p.externallyManaged, true);
  });

  it('a derivative is planned as the release it is built on, by codename', () => {
    const mint = {
      ID: 'linuxmint',
      ID_LIKE: 'ubuntu debian',
      VERSION_ID: '21.3',
      UBUNTU_CODENAME: 'jammy',
      PRETTY_NAME: 'Linux Mint 21.3',
    };
    const p = choosePlatform(mint, systemd);
    assert.equal(p.id, 'ubuntu-22.04');
    assert.equal(p.prettyName, 'Linux Mint 21.3, planned as ubuntu-22.04');
  });

  it('a release between two rows is planned as the older, with what the machine has', () => {
    const p = choosePlatform(
      { ID: 'ubuntu', VERSION_ID: '25.04', VERSION_CODENAME: 'plucky', PRETTY_NAME: 'Ubuntu 25.04' },
      { serviceManager: 'systemd', python3Version: '3.13', externallyManaged: true },
    );
    assert.equal(p.id, 'ubuntu-24.04');
    assert.equal(p.pythonVersion, '3.13');
    assert.equal(p.uwsgiMinimum, '2.0.27');
  });

  it('Debian testing (no VERSION_ID) is planned as the newest Debian', () => {
    const p = choosePlatform(
      { ID: 'debian', VERSION_CODENAME: 'forky', PRETTY_NAME: 'Debian GNU/Linux forky/sid' },
      systemd,
    );
    assert.equal(p.id, 'debian-13');
  });

  it('an unknown system, or none at all, is planned as the current Debian', () => {
    assert.equal(choosePlatform({}, { serviceManager: 'none' }).id, 'debian-12-noinit');
    assert.equal(choosePlatform({ ID: 'alpine', VERSION_ID: '3.20' }, systemd).id, 'debian-12');
  });

  it('never changes the table', () => {
    choosePlatform(UBUNTU_2204, { serviceManager: 'none', python3Version: '3.99', externallyManaged: true });
    const row = platformByName('ubuntu-22.04')!;
    assert.equal(row.pythonVersion, '3.10');
    assert.equal(row.externallyManaged, false);
  });
});
