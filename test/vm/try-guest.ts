// `npm run vm:try -- [bookworm|trixie]`: one booted Debian guest (guest.ts) to try the wizard in by
// hand, as a person on a fresh server would: systemd as PID 1, no Node, the standalone executable
// in /usr/local/bin, an account `ada` that may sudo with a password. It prints how to log in and
// stays up until Ctrl-C, which removes it (as the suites do). Root and E2E_ALLOW_SYSTEM_CHANGES=1.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT, log } from '../e2e/machine.js';
import { SUITES, createGuest, vmSkipReason, type Suite } from './guest.js';

const suite = (process.argv[2] ?? 'bookworm') as Suite;
const executable = join(PROJECT, 'dist', 'uwsgi-nginx-guide-linux-x64');
const password = 'Ada sudo 7!';

async function main(): Promise<void> {
  const refused = vmSkipReason();
  if (refused) throw new Error(refused);
  if (!(suite in SUITES)) throw new Error(`no suite "${suite}": ${Object.keys(SUITES).join(' or ')}`);
  if (!existsSync(executable)) throw new Error(`${executable} is missing: npm run build makes it`);
  const guest = await createGuest(suite);
  await guest.start();
  await guest.createUser('ada', { password, sudo: 'password', homeMode: '700' });
  await guest.copyIn(executable, '/usr/local/bin/uwsgi-nginx-guide', { owner: 'root:root', mode: '755' });
  log(`\n${suite} is up at ${guest.address}; ada's sudo password: ${password}`);
  log(`log in:  ${guest.sshCommandLine('ada')}`);
  log(`then:    uwsgi-nginx-guide --lang ja      (the page: curl -H 'Host: NAME' http://${guest.address}/ from here)`);
  log('Ctrl-C here removes the guest.');
  // Nothing else keeps Node running: wait for Ctrl-C (guest.ts's handlers remove the guest).
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`vm:try: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
