// Root for a run by another account: sudo asked for once, up front, and root's run lock.
import type { Lang } from '../engine/types.js';
import { LABELS } from '../ui/labels.js';
import { orphanStoppedMessage } from '../ui/run-lock-text.js';
import type { Surroundings } from './surroundings.js';

/**
 * Not root: make sure the commands' sudo will work before anything runs, and ask for the password
 * now, once, in the plain terminal, never inside the screen (exec/sudo.ts says why and how it then
 * reaches the commands). An account that may sudo without a password is asked nothing.
 */
export async function obtainSudo(s: Surroundings, lang: Lang): Promise<boolean> {
  const words = LABELS[lang].sudo;
  const user = s.privilege.runningAs;
  const refuse = (message: string) => {
    s.stderr.write(`uwsgi-nginx-guide: ${message.replaceAll('{user}', user)}\n`);
    return false;
  };
  const need = await s.machine.sudo.need();
  if (need.kind === 'no-sudo') return refuse(words.noSudo);
  if (need.kind === 'refused') return refuse(words.notAllowed.replace('{output}', need.output.trim()));
  if (need.kind === 'no-password') return true;
  if (!s.stdinIsTTY) return refuse(words.noTerminal);
  const askpass = await s.machine.sudo.askpass(need.sudoPath);
  s.onExit(askpass.close);
  // The prompt goes where the person looks: the terminal, also when stdout is piped to a file.
  const output = s.stdout.isTTY ? s.stdout : s.stderr;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const message = words.password.replaceAll('{user}', user);
    const typed = await s.prompts.password({ message, maskedText: words.hidden }, output);
    const { result, output: said } = await askpass.check(typed);
    if (result === 'accepted') {
      // From now on every command this process starts finds our sudo first on its PATH.
      askpass.use();
      return true;
    }
    if (result === 'refused') {
      askpass.close();
      return refuse(words.notAllowed.replace('{output}', said.trim()));
    }
    if (attempt < 2) output.write(`${words.wrong}\n`);
  }
  askpass.close();
  return refuse(words.gaveUp);
}

export function orphanStopped(s: Surroundings, lang: Lang): (group: number) => void {
  return (group) => void s.stderr.write(`${orphanStoppedMessage(group, lang)}\n`);
}

/**
 * A run by another account than root changes the machine as root too: it also takes root's lock,
 * the machine's, held through sudo by this same program as root (src/exec/run-lock.ts), once sudo
 * works and before anything is changed. Busy or refused: thrown, for explainFailure.
 */
export async function takeMachineLock(s: Surroundings, lang: Lang): Promise<void> {
  await s.machine.holdMachineLock(orphanStopped(s, lang));
}
