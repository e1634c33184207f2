// After the guide's nginx step (and the firewall), as every current version of the guide ends (issue 18): a
// certificate for the server name from certbot's nginx plugin, HTTP sent on to HTTPS, and its renewal proven.
// Planned only when chosen (--https --email ADDR, or asked). What would make the certificate authority refuse is
// asked first, and said in plain words before certbot runs: then the step stops and nothing is changed.
import { aptLockWait } from '../src/engine/apt-lock.js';
import { appPaths, command, shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { pageThroughNginx } from '../src/engine/stack-probes.js';
import type { Action, Check, HttpsChoice, PlanContext, Probe } from '../src/engine/types.js';
import { reloadOrRestart } from './nginx.js';
import { defineStep, right, wrong } from './step.js';

/** Let's Encrypt's staging server: real issuance, untrusted certificates, generous limits. Said in the notes. */
export const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

function choiceOf(ctx: PlanContext): HttpsChoice {
  const choice = ctx.chosen?.https;
  if (!choice) throw new Error('the HTTPS step is planned only when it was chosen');
  return choice;
}

/** certbot with a private ACME server's CA (ACME_CA_BUNDLE) as its REQUESTS_CA_BUNDLE: sudo passes on no variable. */
function certbot(choice: HttpsChoice, ...args: string[]): string {
  const env = choice.caBundle ? ['env', `REQUESTS_CA_BUNDLE=${choice.caBundle}`] : [];
  return shellLine(...env, 'certbot', ...args);
}

/**
 * What tells the scheduled renewal the private ACME server's CA: Debian's certbot.timer starts certbot.service
 * (`certbot -q renew`), whose environment has no REQUESTS_CA_BUNDLE, and certbot has no option or config key for it.
 */
export const CERTBOT_DROP_IN_DIR = '/etc/systemd/system/certbot.service.d';
export const CERTBOT_CA_DROP_IN = `${CERTBOT_DROP_IN_DIR}/uwsgi-nginx-guide-acme-ca.conf`;

function certbotCaDropIn(caBundle: string): string {
  return [
    '# Written by uwsgi-nginx-guide: the scheduled renewal (certbot.timer) trusts the private ACME server',
    '# as the first certificate did. `uwsgi-nginx-guide undo` removes it.',
    '[Service]',
    // systemd's quoting: the assignment in double quotes, a backslash or quote escaped, % doubled (a specifier).
    `Environment="REQUESTS_CA_BUNDLE=${caBundle.replace(/[\\"]/g, '\\$&').replaceAll('%', '%%')}"`,
    '',
  ].join('\n');
}

/** Where certbot keeps the certificate of this name (root's only). */
function live(name: string): string {
  return `/etc/letsencrypt/live/${name}`;
}

/** Passes when certbot holds a certificate of this name. */
function certificateThere(ctx: PlanContext): Probe {
  const name = ctx.answers.serverName;
  return { kind: 'command', command: withPrivilege(ctx, 'root', shellLine('test', '-f', `${live(name)}/cert.pem`)) };
}

/**
 * The addresses the name resolves to here that are not this machine, and do not answer for it with this site either
 * (a server behind NAT has its public address on no interface of its own, but answers there): printed, one a line.
 */
const LEADS_ELSEWHERE = [
  'here=$(curl -s --max-time 5 -H "Host: $1" http://127.0.0.1/)',
  'mine=" $(hostname -I 2>/dev/null) ::1 "',
  'for a in $(getent ahosts "$1" | cut -d" " -f1 | sort -u); do',
  '  case "$a" in 127.*) continue;; esac',
  '  case "$mine" in *" $a "*) continue;; esac',
  '  case "$a" in *:*) url="http://[$a]/";; *) url="http://$a/";; esac',
  '  [ -n "$here" ] && [ "$(curl -s --max-time 5 -H "Host: $1" "$url")" = "$here" ] && continue',
  '  echo "$a"',
  'done',
].join('\n');

export const https = defineStep({
  id: 'https',
  section: 8,
  title: text('HTTPS: a certificate with certbot', 'HTTPS: certbot で証明書を得る'),
  applies: (ctx) => ctx.chosen?.https !== undefined,
  plan(ctx) {
    const choice = choiceOf(ctx);
    const name = ctx.answers.serverName;
    const p = appPaths(ctx);
    const server = choice.acmeServer ? ['--server', choice.acmeServer] : [];
    const aptGet = ctx.platform.aptWaitsForLock ? `apt-get ${aptLockWait()}` : 'apt-get';
    const page = pageThroughNginx(ctx);
    // A private ACME server's CA, for the renewal systemd schedules; where cron schedules it, a note says what to do.
    const caForTimer = choice.caBundle !== undefined && ctx.platform.serviceManager === 'systemd';
    const caForCron = choice.caBundle !== undefined && !caForTimer;
    const renewByHand = shellLine('sudo', 'env', `REQUESTS_CA_BUNDLE=${choice.caBundle}`, 'certbot', 'renew');
    return {
      explain: text(
        [
          `A certificate lets browsers check that https://${name}/ is really this server, and encrypts what they`,
          "send. certbot asks a certificate authority (Let's Encrypt, or the ACME server you named) for one: the",
          `authority gives certbot a token, certbot's nginx plugin serves it for a moment at`,
          `http://${name}/.well-known/acme-challenge/, and the authority fetches it over port 80. Having seen it, it signs`,
          'a certificate for the name, valid 90 days. The plugin then adds `listen 443 ssl` and the certificate to this',
          "site's server block, and a second block that answers plain HTTP with 301, sending browsers on to HTTPS.",
          'certbot renews the certificate by itself before it runs out, the same way: port 80 must stay open.',
        ].join('\n'),
        [
          `証明書があると、ブラウザーは https://${name}/ が本当にこのサーバーかを確かめられ、送る内容も暗号化されます。`,
          "certbot は認証局 (Let's Encrypt か、指定した ACME サーバー) に証明書を求めます。認証局はトークンを渡し、",
          `certbot の nginx プラグインがそれを http://${name}/.well-known/acme-challenge/ で一時的に公開し、`,
          '認証局がポート 80 経由で取りに来ます。確認できたら、認証局はこの名前の証明書 (有効期間 90 日) に署名します。',
          'その後プラグインは、このサイトのサーバーブロックに `listen 443 ssl` と証明書を加え、平文の HTTP には 301 を',
          '返してブラウザーを HTTPS へ送る二つ目のブロックを足します。証明書は期限前に certbot が同じ方法で自動更新',
          'するので、ポート 80 は開けたままにしておく必要があります。',
        ].join('\n'),
      ),
      notes: [
        ...(caForCron
          ? [
              text(
                `Here certbot's renewal runs from /etc/cron.d/certbot, whose environment has no REQUESTS_CA_BUNDLE, and certbot has no setting for it: the scheduled renewal will not trust ${choice.caBundle}. Renew by hand with \`${renewByHand}\`, or trust that CA for the whole machine (/usr/local/share/ca-certificates/, then update-ca-certificates).`,
                `このマシンでは certbot の更新は /etc/cron.d/certbot から動きますが、その環境には REQUESTS_CA_BUNDLE がなく、certbot にもそれを指定する設定がありません。予定された更新は ${choice.caBundle} を信頼しません。\`${renewByHand}\` で手動で更新するか、その CA をマシン全体で信頼してください (/usr/local/share/ca-certificates/ に置いてから update-ca-certificates)。`,
              ),
            ]
          : []),
        text(
          `Not in the 14.04 guide: its later versions end with certbot --nginx. Try it against Let's Encrypt's staging server first (--acme-server ${LETS_ENCRYPT_STAGING}): its certificates are not trusted by browsers, but its limits are generous, while the real one issues at most 5 certificates for the same names a week.`,
          `14.04 のガイドにはない手順で、後の版は certbot --nginx で終わります。まず Let's Encrypt のステージングサーバーで試してください (--acme-server ${LETS_ENCRYPT_STAGING})。その証明書はブラウザーに信頼されませんが制限が緩く、本番は同じ名前の証明書を週に 5 枚までしか出しません。`,
        ),
        text(
          `The site file is copied aside before certbot edits it: if nginx -t fails afterwards, the copy is put back and nginx keeps serving ${name} over HTTP.`,
          `certbot が編集する前にサイトのファイルの写しを残します。その後 nginx -t が失敗したら写しを戻し、nginx は ${name} を HTTP で提供し続けます。`,
        ),
      ],
      actions: [
        command(ctx, {
          id: 'install-certbot',
          runAs: 'root',
          line: `DEBIAN_FRONTEND=noninteractive ${aptGet} ${shellLine('install', '-y', 'certbot', 'python3-certbot-nginx')}`,
          timeoutSec: 1800,
          explain: text(
            "Install certbot and its nginx plugin from the system's packages (they also schedule the renewal).",
            'certbot とその nginx プラグインをシステムのパッケージから入れます (更新の予定も組まれます)。',
          ),
        }),
        command(ctx, {
          id: 'certbot-nginx',
          runAs: 'root',
          line: certbot(
            choice,
            '--nginx',
            '--non-interactive',
            '--agree-tos',
            '--email',
            choice.email,
            '--domains',
            name,
            '--cert-name',
            name,
            '--redirect',
            ...server,
          ),
          timeoutSec: 300,
          // The certificate first: undo, newest first, puts the site back before it deletes what the site names.
          effects: [
            { kind: 'certifies', name, isThere: certificateThere(ctx) },
            { kind: 'edits', path: p.siteAvailable, runAs: 'root' },
          ],
          explain: text(
            `Get the certificate for ${name}, put it into the site, and redirect HTTP to HTTPS. --non-interactive: nothing waits for an answer; --agree-tos: you accept the authority's terms; --email: where it writes about expiry.`,
            `${name} の証明書を得てサイトに組み込み、HTTP を HTTPS へ転送します。--non-interactive は答え待ちで止まらないため、--agree-tos は認証局の利用規約への同意、--email は期限切れなどの連絡先です。`,
          ),
        }),
        command(ctx, {
          id: 'nginx-configtest-https',
          runAs: 'root',
          line: ctx.platform.nginxConfigTest,
          explain: text(
            "Check nginx's whole configuration as certbot left it.",
            'certbot が手を加えた後の nginx の設定全体を検査します。',
          ),
        }),
        command(ctx, {
          id: 'nginx-reload-https',
          runAs: 'root',
          line: reloadOrRestart(ctx),
          explain: text('Make nginx serve the site as it now is.', '今のサイトを nginx に読み込ませます。'),
        }),
        command(ctx, {
          id: 'certbot-renew-dry-run',
          runAs: 'root',
          // Without a terminal certbot waits up to 8 minutes first (spreading the load of scheduled renewals); a
          // dry run asks Let's Encrypt's staging server unless it is told the server.
          line: certbot(choice, 'renew', '--dry-run', '--no-random-sleep-on-renew', '--cert-name', name, ...server),
          timeoutSec: 300,
          explain: text(
            'Prove the renewal works: certbot goes through it with the authority, without keeping the result.',
            '更新が通ることを確かめます。certbot は認証局と更新の手順を一通り行い、結果は残しません。',
          ),
        }),
        ...(caForTimer ? renewalTrustsCa(ctx, choice.caBundle!) : []),
      ],
      checks: [
        ...(caForTimer ? [renewalKnowsCa(choice.caBundle!)] : []),
        {
          id: 'https-certificate',
          title: text(
            `nginx serves certbot's certificate for ${name} on port 443`,
            `nginx がポート 443 で certbot の ${name} の証明書を出している`,
          ),
          probe: {
            kind: 'command',
            command: withPrivilege(ctx, 'root', shellLine('sh', '-c', servedIsObtained(), 'sh', name)),
            expectOutput: 'does match certificate',
          },
          tryThis: text(
            `Look at \`sudo nginx -T | grep ssl_certificate\` for ${name}, and \`sudo certbot certificates\`.`,
            `${name} について \`sudo nginx -T | grep ssl_certificate\` と \`sudo certbot certificates\` を見てください。`,
          ),
        },
        {
          id: 'https-page',
          title: text(
            `https://${name}/ answers the page, its certificate checked against the authority's chain`,
            `https://${name}/ がページを返す (証明書は認証局の中間証明書で検証)`,
          ),
          probe: {
            kind: 'command',
            command: withPrivilege(
              ctx,
              'root',
              shellLine(
                'curl',
                '--silent',
                '--show-error',
                '--fail',
                '--max-time',
                '10',
                '--resolve',
                `${name}:443:127.0.0.1`,
                '--cacert',
                `${live(name)}/chain.pem`,
                `https://${name}/`,
              ),
            ),
            ...(page.kind === 'http' && page.expectBody ? { expectOutput: page.expectBody } : {}),
          },
          tryThis: text(
            'curl names what failed above: a certificate for another name, or nginx not listening on 443 (`sudo ss -ltnp`).',
            '何が失敗したかは上に curl が示しています。別の名前の証明書か、nginx が 443 で待ち受けていないか (`sudo ss -ltnp`) です。',
          ),
        },
        {
          id: 'http-redirects',
          title: text(
            `http://${name}/ answers 301, to https://${name}/`,
            `http://${name}/ が 301 で https://${name}/ へ転送する`,
          ),
          probe: {
            kind: 'command',
            command: shellLine(
              'curl',
              '--silent',
              '--output',
              '/dev/null',
              '--write-out',
              '%{http_code} %{redirect_url}\\n',
              '--header',
              `Host: ${name}`,
              'http://127.0.0.1/',
            ),
            expectOutput: `^301 https://${name.replaceAll('.', '\\.')}/$`,
          },
          tryThis: text(
            `certbot adds the redirect in a server block of its own in ${p.siteAvailable}; run this step again.`,
            `certbot は転送を ${p.siteAvailable} の専用のサーバーブロックに書きます。このステップをやり直してください。`,
          ),
        },
        {
          id: 'nginx-config-valid-https',
          title: text('nginx -t: the configuration is valid', 'nginx -t: 設定が正しい'),
          probe: { kind: 'command', command: withPrivilege(ctx, 'root', 'nginx -t') },
          tryThis: text(
            'nginx names the file and line at fault above.',
            '誤りのあるファイルと行は上に nginx が示しています。',
          ),
        },
        {
          id: 'renewal-scheduled',
          title: text(
            `the renewal of ${name} is scheduled (certbot.timer or /etc/cron.d/certbot)`,
            `${name} の更新が予定されている (certbot.timer か /etc/cron.d/certbot)`,
          ),
          probe: {
            kind: 'command',
            command: `${withPrivilege(ctx, 'root', shellLine('test', '-f', `/etc/letsencrypt/renewal/${name}.conf`))} && ls -1 /lib/systemd/system/certbot.timer /etc/cron.d/certbot 2>/dev/null | grep .`,
          },
          tryThis: text(
            "Debian's and Ubuntu's certbot package installs both; reinstall it: `sudo apt-get install --reinstall certbot`.",
            'Debian と Ubuntu の certbot パッケージは両方を入れます。入れ直してください: `sudo apt-get install --reinstall certbot`。',
          ),
        },
      ],
      probeBeforeRun: true,
      // The site certbot edited must not stay broken for the next reload: it is put back when nginx -t fails.
      transactional: true,
    };
  },
  pitfalls: [
    {
      check: (ctx) => {
        const { siteEnabled } = appPaths(ctx);
        return {
          id: 'site-enabled-for-https',
          title: text(
            `the site is enabled (${siteEnabled}) and answers for ${ctx.answers.serverName}`,
            `サイトが有効 (${siteEnabled}) で ${ctx.answers.serverName} に答える`,
          ),
          probe: {
            kind: 'command',
            command: shellLine('grep', '-F', `server_name ${ctx.answers.serverName};`, siteEnabled),
          },
          found: text(
            "the site is not enabled in nginx: certbot's nginx plugin looks for the server block by its name among the enabled sites.",
            'サイトが nginx で有効になっていません。certbot の nginx プラグインは、有効なサイトの中から名前でサーバーブロックを探します。',
          ),
          tryThis: text(
            'Nothing was changed. Do the nginx step first (run the wizard again and choose it).',
            '何も変更していません。先に nginx のステップを行ってください (ウィザードをもう一度起動して選びます)。',
          ),
          blocks: true,
        };
      },
    },
    {
      check: (ctx) => {
        const name = ctx.answers.serverName;
        return {
          id: 'name-resolves',
          title: text(`${name} resolves to an address`, `${name} がアドレスに解決できる`),
          probe: { kind: 'command', command: `getent ahosts ${shellArg(name)} | cut -d' ' -f1 | sort -u | grep .` },
          found: text(
            `${name} does not resolve to any address: the certificate authority could not find this server by that name.`,
            `${name} はどのアドレスにも解決できません。認証局はこの名前でこのサーバーを見つけられません。`,
          ),
          tryThis: text(
            `Nothing was changed. Point the name's DNS record (A, or AAAA) at this server's public address, wait until \`getent hosts ${name}\` shows it, and run the wizard again.`,
            `何も変更していません。その名前の DNS レコード (A か AAAA) をこのサーバーの公開アドレスに向け、\`getent hosts ${name}\` に表示されるのを待ってから、ウィザードをもう一度起動してください。`,
          ),
          blocks: true,
        };
      },
    },
    {
      check: (ctx) => {
        const name = ctx.answers.serverName;
        return {
          id: 'name-leads-here',
          title: text(`${name} leads to this server`, `${name} がこのサーバーを指している`),
          probe: {
            kind: 'command',
            command: `! ${shellLine('sh', '-c', LEADS_ELSEWHERE, 'sh', name)} | grep .`,
          },
          found: text(
            `${name} resolves to {output}, which is not this server: the certificate authority would ask there for the token, and refuse.`,
            `${name} は {output} に解決されますが、これはこのサーバーではありません。認証局はそちらにトークンを取りに行き、拒否します。`,
          ),
          tryThis: text(
            `Nothing was changed. Point the name's DNS record at this server (and wait until \`getent hosts ${name}\` shows it), or run the wizard with the name that does lead here (--server-name).`,
            `何も変更していません。その名前の DNS レコードをこのサーバーに向ける (\`getent hosts ${name}\` に表示されるまで待つ) か、ここを指す名前でウィザードを起動し直してください (--server-name)。`,
          ),
          blocks: true,
        };
      },
    },
    {
      check: (ctx) => ({
        id: 'port-80-open-in-ufw',
        title: text(
          'port 80 is open in the firewall (or no firewall is on)',
          'ファイアウォールでポート 80 が開いている (またはファイアウォールが無効)',
        ),
        probe: {
          kind: 'command',
          command: `! ${withPrivilege(ctx, 'root', 'ufw status')} 2>/dev/null | grep -q '^Status: active' || ${withPrivilege(ctx, 'root', 'ufw status')} | grep -E ${shellArg('^(Nginx (HTTP|Full)|80(/tcp)?|WWW( Full)?)( \\(v6\\))? +ALLOW')}`,
        },
        found: text(
          'ufw is active and does not let port 80 in: the certificate authority checks this server over port 80, now and at every renewal.',
          'ufw が有効で、ポート 80 を通していません。認証局はポート 80 でこのサーバーを確かめます。今回も、更新のたびにもです。',
        ),
        tryThis: text(
          "Nothing was changed. Run the wizard with --firewall too, or `sudo ufw allow 'Nginx Full'` yourself.",
          "何も変更していません。--firewall も付けてウィザードを起動するか、自分で `sudo ufw allow 'Nginx Full'` を実行してください。",
        ),
        blocks: true,
      }),
    },
  ],
  quiz: [
    {
      id: 'https-redirect',
      question: text(
        'certbot added a redirect. What does a browser that asks for http://NAME/ get now?',
        'certbot は転送を加えました。http://NAME/ を求めたブラウザーは今何を受け取りますか?',
      ),
      choices: [
        wrong(
          text('The page, encrypted on port 80', 'ポート 80 で暗号化されたページ'),
          text(
            'Port 80 stays plain HTTP: encryption happens on 443, where the certificate is.',
            'ポート 80 は平文の HTTP のままです。暗号化は証明書のある 443 で行われます。',
          ),
        ),
        right(
          text(
            'A 301 answer that sends it to https://NAME/, which it then asks for',
            'https://NAME/ へ行くよう伝える 301 の答え。ブラウザーはそちらを求め直す',
          ),
          text(
            'nginx answers plain HTTP with "moved permanently" and the https:// address; the page itself only ever travels encrypted.',
            'nginx は平文の HTTP に「恒久的に移動」と https:// のアドレスを返します。ページそのものは暗号化されてしか送られません。',
          ),
        ),
        wrong(
          text('An error: port 80 was closed by certbot', 'エラー。certbot がポート 80 を閉じた'),
          text(
            'certbot never closes port 80: the redirect lives there, and so does the renewal.',
            'certbot はポート 80 を閉じません。転送も更新もそこで行われます。',
          ),
        ),
      ],
    },
    {
      id: 'https-port-80',
      question: text(
        'HTTPS works now. Why must port 80 stay open in the firewall?',
        'HTTPS は動いています。それでもファイアウォールでポート 80 を開けたままにするのはなぜですか?',
      ),
      choices: [
        wrong(
          text('nginx cannot start without it', 'それがないと nginx が起動できないから'),
          text(
            'A firewall does not stop nginx from listening; it only drops the connections from outside.',
            'ファイアウォールは nginx の待ち受けを止めません。外からの接続を捨てるだけです。',
          ),
        ),
        wrong(
          text('uWSGI speaks to nginx over port 80', 'uWSGI が nginx とポート 80 で話すから'),
          text(
            'They talk over the unix socket, which no firewall sees.',
            '両者は unix ソケットで話すので、ファイアウォールとは関係ありません。',
          ),
        ),
        right(
          text(
            'The renewal proves the name again over port 80, every two months; and browsers typing http:// need the redirect',
            '更新のたびに (2 か月ごと) ポート 80 で名前をもう一度証明するから。http:// と打ったブラウザーにも転送が要る',
          ),
          text(
            'The certificate lives 90 days and certbot renews it after 60 with the same http-01 challenge: closed, the renewal fails and the site expires.',
            '証明書の寿命は 90 日で、certbot は 60 日後に同じ http-01 の確認で更新します。閉じていると更新に失敗し、期限が切れます。',
          ),
        ),
      ],
    },
    {
      id: 'https-what-it-proves',
      question: text('What does the certificate prove to a browser?', '証明書はブラウザーに何を証明しますか?'),
      choices: [
        wrong(
          text('That the app has no security holes', 'アプリにセキュリティの穴がないこと'),
          text(
            'It says nothing about the code behind the name: a site with a certificate can be as buggy as one without.',
            '名前の裏にあるコードについては何も言いません。証明書があっても、なくても同じようにバグはあり得ます。',
          ),
        ),
        wrong(
          text('That the server is run by a known company', 'サーバーが名の知れた会社のものであること'),
          text(
            "Let's Encrypt checks only control of the name (domain validation), not who you are.",
            "Let's Encrypt が確かめるのは名前を管理していること (ドメイン認証) だけで、あなたが誰かではありません。",
          ),
        ),
        right(
          text(
            'That the server it talks to holds the key for that name, as an authority it trusts checked',
            '話している相手がその名前の鍵を持っていることを、信頼する認証局が確かめたこと',
          ),
          text(
            'The authority saw the token served at the name, then signed name and key together; the browser checks that signature and the name.',
            '認証局はその名前でトークンが出ているのを確かめ、名前と鍵を合わせて署名しました。ブラウザーはその署名と名前を確かめます。',
          ),
        ),
        wrong(
          text("That nobody can read the server's files", '誰もサーバーのファイルを読めないこと'),
          text(
            'It protects the connection, not the machine: the files are as safe as the server itself.',
            '守るのは通信で、マシンではありません。ファイルの安全はサーバーそのもの次第です。',
          ),
        ),
      ],
    },
  ],
});

/** A systemd drop-in for certbot.service, read at once: the scheduled renewal then trusts the ACME server's CA. */
function renewalTrustsCa(ctx: PlanContext, caBundle: string): Action[] {
  return [
    command(ctx, {
      id: 'certbot-drop-in-dir',
      runAs: 'root',
      line: shellLine('mkdir', '-p', CERTBOT_DROP_IN_DIR),
      effects: [{ kind: 'creates', path: CERTBOT_DROP_IN_DIR, made: 'directory', runAs: 'root' }],
      explain: text(
        "The directory where systemd reads additions to certbot's renewal service.",
        'certbot の更新サービスへの追加を systemd が読むディレクトリです。',
      ),
    }),
    {
      kind: 'file',
      id: 'write-certbot-ca-drop-in',
      path: CERTBOT_CA_DROP_IN,
      content: certbotCaDropIn(caBundle),
      owner: 'root',
      group: 'root',
      mode: 0o644,
      explain: text(
        `certbot.timer renews twice a day by starting certbot.service, whose environment has no REQUESTS_CA_BUNDLE: without this addition the renewal would not trust the ACME server's certificate, and would fail. It names ${caBundle}, so keep that file where it is.`,
        `certbot.timer は 1 日 2 回 certbot.service を起動して更新しますが、その環境には REQUESTS_CA_BUNDLE がありません。この追加がないと更新は ACME サーバーの証明書を信頼できず、失敗します。${caBundle} を名指しするので、そのファイルは今の場所に置いたままにしてください。`,
      ),
    },
    command(ctx, {
      id: 'certbot-drop-in-reload',
      runAs: 'root',
      line: 'systemctl daemon-reload',
      explain: text('Make systemd read the addition.', '追加した設定を systemd に読み込ませます。'),
    }),
  ];
}

/** Passes when certbot.service, as systemd now has it, gives certbot the CA bundle. */
function renewalKnowsCa(caBundle: string): Check {
  return {
    id: 'renewal-knows-ca',
    title: text(
      `the scheduled renewal (certbot.service) trusts ${caBundle}`,
      `予定された更新 (certbot.service) が ${caBundle} を信頼する`,
    ),
    probe: {
      kind: 'command',
      command: `systemctl show certbot.service -p Environment | grep -F ${shellArg(`REQUESTS_CA_BUNDLE=${caBundle}`)}`,
    },
    tryThis: text(
      `Look at \`systemctl cat certbot.service\`: ${CERTBOT_CA_DROP_IN} should be listed; then \`sudo systemctl daemon-reload\`.`,
      `\`systemctl cat certbot.service\` を見てください。${CERTBOT_CA_DROP_IN} が含まれているはずです。その後 \`sudo systemctl daemon-reload\`。`,
    ),
  };
}

/**
 * The certificate nginx serves for the name (asked with SNI) is certbot's (same SHA-256 fingerprint), and is for the
 * name: openssl says "Hostname NAME does match certificate". `$1` is the name.
 */
function servedIsObtained(): string {
  return [
    'served=$(openssl s_client -connect 127.0.0.1:443 -servername "$1" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256)',
    'obtained=$(openssl x509 -noout -fingerprint -sha256 -in "/etc/letsencrypt/live/$1/cert.pem")',
    '[ -n "$served" ] && [ "$served" = "$obtained" ] || exit 1',
    'openssl x509 -noout -subject -issuer -enddate -checkhost "$1" -in "/etc/letsencrypt/live/$1/cert.pem"',
  ].join('\n');
}
