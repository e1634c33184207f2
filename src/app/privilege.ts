// Root for a run by another account: sudo asked for once, up front, and root's run lock.
import { userInfo } from 'node:os';
import type { Lang } from '../engine/types.js';
import { HOLD_RUN_LOCK_FLAG, holdMachineLock } from '../exec/run-lock.js';
import { LABELS } from '../ui/labels.js';
import { orphanStoppedMessage } from '../ui/run-lock-text.js';

/**
 * Not root: make sure the commands' sudo will work before anything runs, and ask for the password
 * now, once, in the plain terminal, never inside the screen (exec/sudo.ts says why and how it then
 * reaches the commands). An account that may sudo without a password is asked nothing.
 */
export async function obtainSudo(lang: Lang): Promise<boolean> {
  const { sudoNeed, startAskpass } = await import('../exec/sudo.js');
  const { selfCommand } = await import('../exec/self.js');
  const words = LABELS[lang].sudo;
  const user = userInfo().username;
  const refuse = (message: string) => {
    process.stderr.write(`uwsgi-nginx-guide: ${message.replaceAll('{user}', user)}\n`);
    return false;
  };
  const need = await sudoNeed();
  if (need.kind === 'no-sudo') return refuse(words.noSudo);
  if (need.kind === 'refused') return refuse(words.notAllowed.replace('{output}', need.output.trim()));
  if (need.kind === 'no-password') return true;
  if (!process.stdin.isTTY) return refuse(words.noTerminal);
  const askpass = await startAskpass(need.sudoPath, selfCommand());
  process.on('exit', askpass.close);
  const { password } = await import('@inquirer/prompts');
  // The prompt goes where the person looks: the terminal, also when stdout is piped to a file.
  const output = process.stdout.isTTY ? process.stdout : process.stderr;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    // As sudo does: nothing of what is typed is shown, not even its length, and it cannot be revealed
    // (inquirer's ctrl+t would show it, and its hint is in English).
    const typed = await password(
      {
        message: words.password.replaceAll('{user}', user),
        toggleMask: false,
        theme: { style: { maskedText: words.hidden } },
      },
      { output },
    );
    const { result, output: said } = await askpass.check(typed);
    if (result === 'accepted') {
      // From now on every command this process starts finds our sudo first on its PATH.
      Object.assign(process.env, askpass.env);
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

export function orphanStopped(lang: Lang): (group: number) => void {
  return (group) => void process.stderr.write(`${orphanStoppedMessage(group, lang)}\n`);
}

/**
 * A run by another account than root changes the machine as root too: it also takes root's lock,
 * the machine's, held through sudo by this same program as root (src/exec/run-lock.ts), once sudo
 * works and before anything is changed. Busy or refused: thrown, for explainFailure.
 */
export async function takeMachineLock(lang: Lang): Promise<void> {
  const { selfCommand } = await import('../exec/self.js');
  // Our sudo first on PATH (obtainSudo put it there when a password is needed) runs it with -A.
  await holdMachineLock(['sudo', ...selfCommand(), HOLD_RUN_LOCK_FLAG], orphanStopped(lang));
}
