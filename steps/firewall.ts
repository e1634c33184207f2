// After the guide's nginx step, as every current version of the guide ends (issue 18): ufw opened
// for nginx. Planned only when the person chose it (--firewall, or asked where ufw is active); where
// ufw is missing or off, the wizard says so and leaves the step out: it never switches a firewall on.
import { command, literalPattern, shellArg, text, withPrivilege } from '../src/engine/commands.js';
import type { PlanContext, Probe } from '../src/engine/types.js';
import { defineStep, right, wrong } from './step.js';

/** nginx's ufw profile: HTTP alone, or HTTP and HTTPS once a certificate is asked for too. */
export function nginxProfile(ctx: PlanContext): 'Nginx HTTP' | 'Nginx Full' {
  return ctx.chosen?.https ? 'Nginx Full' : 'Nginx HTTP';
}

/** Passes when `ufw status` lists the rule as allowed (v4 or v6 line); prints the lines it found. */
export function ufwAllows(ctx: PlanContext, rule: string): Probe {
  const pattern = `^${literalPattern(rule)}( \\(v6\\))? +ALLOW`;
  return { kind: 'command', command: `${withPrivilege(ctx, 'root', 'ufw status')} | grep -E ${shellArg(pattern)}` };
}

/** ssh's rule in `ufw status`, however it was added: the OpenSSH profile, port 22, or the service's name. */
const SSH_RULE = '^(OpenSSH|22(/tcp)?|ssh)( \\(v6\\))? +(ALLOW|LIMIT)';

export const firewall = defineStep({
  id: 'firewall',
  section: 8,
  title: text('Let nginx through the firewall (ufw)', 'ファイアウォール (ufw) で nginx を通す'),
  applies: (ctx) => ctx.chosen?.firewall === true,
  plan(ctx) {
    const profile = nginxProfile(ctx);
    const ports = profile === 'Nginx Full' ? '80 and 443' : '80';
    const portsJa = profile === 'Nginx Full' ? '80 と 443' : '80';
    return {
      explain: text(
        [
          'ufw ("uncomplicated firewall") is on here: it drops every connection from outside that no rule',
          "lets in, so browsers elsewhere cannot reach nginx yet. nginx's package gives ufw named profiles:",
          `"${profile}" opens TCP port ${ports}. The wizard adds that one rule and nothing else; the rules`,
          'already there (ssh among them) stay as they are.',
        ].join('\n'),
        [
          'このマシンでは ufw (uncomplicated firewall) が有効です。どの規則にも当てはまらない外からの接続は',
          '捨てられるので、他のマシンのブラウザーはまだ nginx に届きません。nginx のパッケージは ufw に',
          `名前付きのプロファイルを用意しています。"${profile}" は TCP ポート ${portsJa} を開けます。`,
          'ウィザードが加えるのはこの規則一つだけで、すでにある規則 (ssh など) はそのまま残ります。',
        ].join('\n'),
      ),
      notes: [
        text(
          'Not in the 14.04 guide: its later versions open the firewall here. The wizard never switches ufw on where it was off.',
          '14.04 のガイドにはない手順で、後の版がここでファイアウォールを開けています。ufw が無効なマシンで、ウィザードがそれを有効にすることはありません。',
        ),
      ],
      actions: [
        command(ctx, {
          id: 'ufw-status',
          runAs: 'root',
          line: 'ufw status verbose',
          explain: text(
            'Show the firewall as it is now: its default policy and the rules already there.',
            '今のファイアウォールを表示します。既定の方針と、すでにある規則です。',
          ),
        }),
        command(ctx, {
          id: 'ufw-allow-nginx',
          runAs: 'root',
          line: `ufw allow ${shellArg(profile)}`,
          effects: [{ kind: 'opens', rule: profile, isThere: ufwAllows(ctx, profile) }],
          explain: text(
            `Let connections to port ${ports} in, for nginx. ufw applies it at once; nothing else changes.`,
            `nginx のためにポート ${portsJa} への接続を通します。ufw はすぐに適用し、他は何も変わりません。`,
          ),
        }),
      ],
      checks: [
        {
          id: 'ufw-allows-nginx',
          title: text(`ufw status: "${profile}" is allowed`, `ufw status: "${profile}" が許可されている`),
          probe: ufwAllows(ctx, profile),
          tryThis: text(
            `Look at \`sudo ufw status\`. If ufw says it could not find the profile, nginx's package is missing its ufw file (/etc/ufw/applications.d/nginx): allow the port itself, \`sudo ufw allow 80/tcp\`.`,
            `\`sudo ufw status\` を見てください。プロファイルが見つからないと言われたら、nginx のパッケージの ufw 用ファイル (/etc/ufw/applications.d/nginx) がありません。ポートそのものを許可してください: \`sudo ufw allow 80/tcp\`。`,
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
  pitfalls: [
    {
      check: (ctx) => ({
        id: 'ufw-lets-ssh-in',
        title: text('ufw lets ssh in', 'ufw が ssh を通している'),
        probe: {
          kind: 'command',
          command: `${withPrivilege(ctx, 'root', 'ufw status')} | grep -E ${shellArg(SSH_RULE)}`,
        },
        found: text('ufw is active and lists no rule for ssh.', 'ufw が有効で、ssh の規則が見当たりません。'),
        tryThis: text(
          'The wizard only adds a rule, so whatever reaches this machine now still will. But if you ever reset or re-enable ufw, add `sudo ufw allow OpenSSH` first, or ssh will be shut out.',
          'ウィザードは規則を加えるだけなので、今このマシンに届いているものはこの後も届きます。ただし ufw をリセットしたり有効にし直したりするときは、先に `sudo ufw allow OpenSSH` を加えてください。さもないと ssh が締め出されます。',
        ),
      }),
    },
  ],
  whatToDo: (ctx) =>
    text(
      `Look at \`sudo ufw status\`, then allow nginx's profile "${nginxProfile(ctx)}" with sudo ufw allow.`,
      `\`sudo ufw status\` を見てから、sudo ufw allow で nginx のプロファイル "${nginxProfile(ctx)}" を許可します。`,
    ),
  quiz: [
    {
      id: 'ufw-profile',
      question: text(
        "What does `sudo ufw allow 'Nginx HTTP'` change?",
        "`sudo ufw allow 'Nginx HTTP'` は何を変えますか?",
      ),
      choices: [
        right(
          text('It adds one rule that lets TCP port 80 in', 'TCP ポート 80 を通す規則を一つ加える'),
          text(
            "The profile is a name for nginx's port, from /etc/ufw/applications.d/nginx. The other rules, ssh's too, stay.",
            'プロファイルは /etc/ufw/applications.d/nginx にある、nginx のポートの名前です。他の規則は ssh のものも含めて残ります。',
          ),
        ),
        wrong(
          text('It switches ufw on', 'ufw を有効にする'),
          text(
            'Only `ufw enable` does that; allow adds a rule, whether ufw is on or not.',
            '有効にするのは `ufw enable` だけです。allow は ufw が有効かどうかに関係なく規則を加えます。',
          ),
        ),
        wrong(
          text("It lets nginx read the app's socket", 'nginx がアプリのソケットを読めるようにする'),
          text(
            'The socket is a file: file permissions and groups decide that. ufw filters network connections only.',
            'ソケットはファイルなので、それを決めるのはファイルの権限とグループです。ufw が絞るのはネットワークの接続だけです。',
          ),
        ),
        wrong(
          text('It closes every port except 80', '80 以外のポートをすべて閉じる'),
          text(
            'allow never closes anything: what was let in before (ssh) still is. What ufw drops is what no rule lets in.',
            'allow は何も閉じません。以前に通していたもの (ssh) は今も通ります。ufw が捨てるのは、どの規則も通さない接続です。',
          ),
        ),
      ],
    },
  ],
});
