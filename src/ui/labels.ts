// Every message of the wizard's own, in both languages: the screen's, the plain output's, the
// commands' and their errors' (the steps' words are the curriculum's data, in steps/). `ja` is typed
// as `en`: a key missing in either, or a placeholder of another name or type, does not compile.
// A placeholder is a parameter: `(p: { user: string }) => ...`, never a `{user}` to replace.
import type { AnswerKey } from '../engine/answers.js';
import type { CauseId, Layer } from '../engine/doctor/model.js';
import type { WriteOutcome } from '../engine/ports.js';
import type { ResumeState } from '../engine/progress.js';
import type { StackPartId } from '../engine/stack.js';
import type { Lang, ServiceManager } from '../engine/types.js';
import type { ActionFailure, StepStatus } from '../engine/wizard.js';

/** What a person can act on: what happened, and what to try (said after "Try:"). */
export interface Said {
  message: string;
  tryThis?: string;
}

/**
 * The doctor's words for one cause (issue 16): what is wrong, in one sentence with the finding's
 * facts; why it happens; what the doctor's fix does (where it has one); what to try by hand.
 */
export interface CauseWords<P> {
  /** One sentence; its placeholders are the finding's facts of the same names (src/ui/doctor-text.ts). */
  what: (p: P) => string;
  why: string;
  /**
   * What the doctor's fix does; '' for a cause it never fixes (src/engine/doctor/fixes.ts gives none).
   * With the facts where what it does depends on the machine (a unit, an Upstart job, no service manager).
   */
  fix: string | ((p: P) => string);
  /** What to do by hand: where the doctor has no fix, or the person would rather do it. */
  tryThis: (p: P) => string;
}

const doctorEn = {
  causes: {
    'nginx-down': {
      what: () => 'nginx is not running.',
      why: 'Without nginx nothing answers on port 80, whatever uWSGI does.',
      fix: 'Starts nginx.',
      tryThis: () => '`sudo nginx -t`, then `sudo service nginx start`; `journalctl -u nginx` says why it stopped.',
    },
    'nginx-config': {
      what: (p: { file: string; line: string }) => `nginx refuses its configuration: ${p.file}, line ${p.line}.`,
      why: 'nginx -t reads every file; one wrong line stops nginx from starting or reloading.',
      fix: '',
      tryThis: (p: { file: string; line: string }) =>
        `Correct line ${p.line} of ${p.file} (\`sudo nginx -t\` shows the message), then \`sudo service nginx reload\`.`,
    },
    'listen-dup': {
      what: (p: { address: string; file: string }) =>
        `Two server blocks set options on the same listen ${p.address} (one in ${p.file}).`,
      why: 'Options such as default_server or ipv6only may be given on one listen line per address only; certbot and some images add a second one.',
      fix: '',
      tryThis: (p: { address: string; file: string }) =>
        `Keep the options on one listen ${p.address} line and remove them from the others (\`grep -rn listen /etc/nginx/sites-enabled\`), then \`sudo nginx -t\`.`,
    },
    'site-disabled': {
      what: (p: { site: string }) => `The site ${p.site} is not enabled: nginx does not read it.`,
      why: 'nginx reads only the files in /etc/nginx/sites-enabled; a site in sites-available needs a link there.',
      fix: 'Links the site into sites-enabled, checks the configuration, and reloads nginx.',
      tryThis: (p: { site: string }) =>
        `\`sudo ln -s ${p.site} /etc/nginx/sites-enabled/ && sudo nginx -t && sudo service nginx reload\``,
    },
    'no-site': {
      what: (p: { site: string }) =>
        `There is no nginx site for this app: ${p.site} does not exist, and no enabled site passes requests to its socket.`,
      why: 'Without a server block of its own, a request for the name is answered by another site, or by none.',
      fix: '',
      tryThis: (p: { site: string }) =>
        `Set the app up with uwsgi-nginx-guide (it writes ${p.site}), or name your own app to the doctor: --app-name, --user and --server-name (doctor --help).`,
    },
    'default-site': {
      what: (p: { serverName: string; defaultSite: string }) =>
        `A request for ${p.serverName} reaches another site (${p.defaultSite}), not yours.`,
      why: 'When the Host matches no server_name on the port, nginx gives the request to the port\'s default server: the stock default site answers with "Welcome to nginx!".',
      fix: "Removes the default site's link from sites-enabled (the site itself stays in sites-available) and reloads nginx.",
      tryThis: (p: { serverName: string; defaultSite: string }) =>
        `Put ${p.serverName} (the name or IP the browser uses) in your site's server_name, or disable ${p.defaultSite}.`,
    },
    'socket-path-differs': {
      what: (p: { nginxSocket: string; uwsgiSocket: string }) =>
        `nginx passes to ${p.nginxSocket}, but uWSGI listens on ${p.uwsgiSocket}.`,
      why: "nginx's upstream (uwsgi_pass) and uWSGI's socket must name the very same file; uWSGI takes a relative path from its chdir, nginx doesn't.",
      fix: "Points nginx's uwsgi_pass at uWSGI's socket and reloads nginx.",
      tryThis: (p: { nginxSocket: string; uwsgiSocket: string }) =>
        `Use one absolute path on both sides: \`uwsgi_pass unix:${p.uwsgiSocket};\` in the site, \`socket = ${p.uwsgiSocket}\` in the ini.`,
    },
    permission: {
      what: (p: { socket: string; user: string }) =>
        `nginx (running as ${p.user}) may not open the socket ${p.socket}.`,
      why: "Connecting to a unix socket needs write permission on it and the right to enter every directory on its path; a socket of mode 600, a group without nginx's user, or a home directory of 750 keeps nginx out.",
      fix: (p: { closedDir: string; groupFrom: string }) =>
        p.groupFrom === 'run-dir'
          ? `Lets nginx's group in, and only it: the socket moves out of ${p.closedDir} to a directory of its own under /run, with mode 664 and nginx's group; then uWSGI restarts and nginx reloads.`
          : p.groupFrom === 'unit'
            ? "Lets nginx's group in, and only it: the socket gets mode 664 (chmod-socket) and nginx's group (the unit's Group=); then uWSGI restarts."
            : p.groupFrom === 'job'
              ? "Lets nginx's group in, and only it: the socket gets mode 664 (chmod-socket) and nginx's group (the Upstart job's setgid); then uWSGI restarts."
              : "Lets nginx's group in, and only it: the socket gets mode 664 (chmod-socket), and uWSGI is started again as the wizard starts it, in nginx's group.",
      tryThis: (p: { socket: string; user: string }) =>
        `Check each directory with \`namei -l ${p.socket}\`; give the socket to ${p.user}'s group with \`chmod-socket = 664\` — never 666 or 777.`,
    },
    'no-socket': {
      what: (p: { socket: string }) => `The socket ${p.socket} does not exist.`,
      why: 'uWSGI makes the socket when it starts: it is not running, it stopped at start, or /run was emptied by a reboot and nothing makes the directory again.',
      fix: "Starts uWSGI's service and enables it at boot (with RuntimeDirectory= where the socket lives under /run).",
      tryThis: (p: { socket: string }) =>
        `Start uWSGI and read its log for why it stopped; check that the ini says \`socket = ${p.socket}\`.`,
    },
    refused: {
      what: (p: { socket: string }) =>
        `Nothing listens on the socket ${p.socket}: the file is left from a uWSGI that is gone.`,
      why: 'A uWSGI killed outright leaves its socket file behind; connecting to it is refused.',
      fix: 'Restarts uWSGI (with vacuum = true, so that it removes its socket when it stops).',
      tryThis: () => 'Restart uWSGI; over TCP, write 127.0.0.1 rather than localhost, which may mean ::1.',
    },
    'bind-denied': {
      what: (p: { socket: string }) => `uWSGI may not create its socket ${p.socket}.`,
      why: "uWSGI runs as the app's account, which may not write in the socket's directory.",
      fix: 'Moves the socket into /run/APP, which systemd makes for the service at each start (RuntimeDirectory=), and points nginx at it.',
      tryThis: (p: { socket: string }) =>
        `Put the socket in a directory the service's account owns (RuntimeDirectory= in the unit), or check the directory of ${p.socket} with \`ls -ld\`.`,
    },
    'no-app': {
      what: (p: { module: string }) => `uWSGI runs but found no app to call (module ${p.module}).`,
      why: "uWSGI imports the module from its chdir and looks for the callable (application, unless it is told another, such as Flask's app); a wrong name, a wrong directory or an error while importing leaves it without one, and each request gets 500.",
      fix: "Sets the ini's module (and chdir) to what imports, then restarts uWSGI.",
      tryThis: (p: { module: string }) =>
        `Run the import yourself as the service's account, from the app's directory, with the venv's python: \`python -c 'import ${p.module}'\`; Python's own message is in uWSGI's log.`,
    },
    venv: {
      what: (p: { module: string; broken: string; home: string }) =>
        p.broken === 'home'
          ? `uWSGI cannot start Python: home = ${p.home} is not a virtualenv (not even Python's own encodings module is there).`
          : `The app cannot import ${p.module}: uWSGI does not use the virtualenv it was installed in.`,
      why: "uWSGI uses the Python it was built for and the packages of the virtualenv named by home (or virtualenv); a system uWSGI, or home missing or relative, sees none of the venv's packages.",
      fix: 'Names the virtualenv in the ini (home = …, an absolute path) and restarts uWSGI.',
      tryThis: (p: { module: string; broken: string; venv: string }) =>
        p.broken === 'home'
          ? `Set home to the app's virtualenv by its absolute path (\`home = ${p.venv}\`), or leave home out and run the venv's own uwsgi.`
          : `Run the venv's own uwsgi by its full path, or set home to the venv; check that ${p.module} is installed in it (\`venv/bin/pip show ${p.module}\`).`,
    },
    'apt-uwsgi': {
      what: () => 'The uWSGI from apt is running without its Python plugin: it cannot run Python.',
      why: "Debian's and Ubuntu's uwsgi package is split into plugins: without uwsgi-plugin-python3 and plugins = python3 it knows no module, wsgi-file or Python request.",
      fix: (p: { fixBy: string }): string =>
        p.fixBy === 'venv-uwsgi'
          ? "Stops it, and starts the uWSGI of the app's virtualenv (Python built in) as the wizard does."
          : 'Installs uwsgi-plugin-python3, adds plugins = python3 to the ini and restarts uWSGI.',
      tryThis: () =>
        "Use the uwsgi installed with pip in the app's venv (venv/bin/uwsgi), or install uwsgi-plugin-python3 and add `plugins = python3`.",
    },
    'http-to-uwsgi': {
      what: (p: { method: string }) =>
        `Something speaks HTTP to uWSGI's uwsgi socket (uWSGI read "${p.method}" as the size of a request).`,
      why: "A socket = line speaks the uwsgi protocol, which only nginx's uwsgi_pass speaks; a browser, curl, or nginx's proxy_pass speak HTTP.",
      fix: '',
      tryThis: () =>
        'For nginx, use `include uwsgi_params; uwsgi_pass …;`, not proxy_pass. For a browser, give uWSGI `http-socket = :8080` instead.',
    },
    'uwsgi-to-http': {
      what: (p: { socket: string }) => `nginx speaks the uwsgi protocol to ${p.socket}, where uWSGI expects HTTP.`,
      why: 'http-socket (or http) in the ini makes uWSGI speak HTTP there; uwsgi_pass sends the uwsgi protocol.',
      fix: 'Makes the ini say socket = for that address, so both sides speak the uwsgi protocol, and restarts uWSGI.',
      tryThis: () => 'Use `socket =` in the ini with `uwsgi_pass` in nginx, or `http-socket =` with `proxy_pass`.',
    },
    'big-headers': {
      what: (p: { size: string }) => `A request's headers (${p.size} bytes) are larger than uWSGI's 4 KB buffer.`,
      why: 'uWSGI drops a request whose headers do not fit in buffer-size (4096 by default); big cookies do it, so only some visitors see 502.',
      fix: 'Sets buffer-size = 32768 in the ini and restarts uWSGI.',
      tryThis: () => 'Set `buffer-size = 32768` in the ini (at most 65535), or make the cookies smaller.',
    },
    harakiri: {
      what: () => 'Requests take longer than uWSGI or nginx waits: the worker is killed or nginx gives up.',
      why: 'harakiri kills a worker that takes longer than its seconds (nginx then says 502); uwsgi_read_timeout (60 s by default) makes nginx give up first (504). Equal limits race.',
      fix: "Sets uWSGI's harakiri below nginx's uwsgi_read_timeout, so a slow request ends with uWSGI's answer, and restarts uWSGI.",
      tryThis: () =>
        "Find the slow request (its URL is in uWSGI's log beside HARAKIRI); a worker killed by signal 9 without HARAKIRI may be the OOM killer (dmesg).",
    },
    'queue-full': {
      what: (p: { socket: string }) => `uWSGI's listen queue on ${p.socket} is full: new requests are turned away.`,
      why: "Requests wait in the socket's queue (100 by default) while every worker is busy; a full queue usually means the workers are stuck.",
      fix: '',
      tryThis: () =>
        'Find what the workers wait for (`uwsgitop`, or `py-spy dump` on a worker); only then raise `listen =` together with net.core.somaxconn.',
    },
    'str-body': {
      what: (p: { file: string }) => `The app in ${p.file} returns str, not bytes: the page comes back empty.`,
      why: "Under Python 3 each piece of a WSGI body must be bytes; the guide's wsgi.py was written for Python 2.",
      fix: 'Makes the returned literals bytes (b"…") and restarts uWSGI.',
      tryThis: (p: { file: string }) =>
        `In ${p.file}, \`return [b"…"]\`, or encode the text: \`[text.encode("utf-8")]\`.`,
    },
    'no-die-on-term': {
      what: (p: { ini: string }) => `${p.ini} lacks die-on-term: uWSGI reloads when systemd stops it.`,
      why: 'Before 2.1, uWSGI takes SIGTERM as "reload"; systemd stops a service with SIGTERM, waits 90 s, then kills it.',
      fix: 'Adds die-on-term = true to the ini and restarts uWSGI.',
      tryThis: () => 'Add `die-on-term = true` to the ini, or `KillSignal=SIGQUIT` to the unit.',
    },
    'unit-user': {
      what: (p: { user: string; unit: string }) =>
        `The unit ${p.unit} runs uWSGI as ${p.user}, an account that does not exist.`,
      why: 'systemd cannot start a service whose User= names no account (status=217/USER).',
      fix: 'Sets User= to the account that owns the app, reloads systemd and restarts the service.',
      tryThis: (p: { user: string; unit: string }) =>
        `Set User= in ${p.unit} to an existing account (\`getent passwd ${p.user}\` finds none), then \`sudo systemctl daemon-reload\`.`,
    },
    'test-leftover': {
      what: (p: { pid: string; address: string }) =>
        `Process ${p.pid} still holds ${p.address}: the guide's test run was left running.`,
      why: 'uWSGI cannot bind an address another process holds; the test run on :8080 keeps going until Ctrl-C.',
      fix: 'Stops that process (as Ctrl-C would), then restarts the service.',
      tryThis: (p: { pid: string; address: string }) =>
        `See it with \`ss -ltnp\` and \`ps -o pid,args -p ${p.pid}\`; stop it with \`kill -INT ${p.pid}\`.`,
    },
    'django-hosts': {
      what: (p: { host: string }) =>
        `Django refuses the host ${p.host} (the page answers 400 Bad Request): it is not in ALLOWED_HOSTS.`,
      why: 'Django answers 400 to a Host that ALLOWED_HOSTS does not list, against forged Host headers, and nginx passes on the name the browser asked for. runserver lets localhost through, so it shows only behind nginx.',
      fix: (p: { host: string; settings: string; wizardSettings: string }) =>
        p.wizardSettings === 'changed'
          ? `Writes ${p.settings} again as the wizard wrote it (after your settings it adds ${p.host} to ALLOWED_HOSTS), then restarts uWSGI.`
          : 'Adds the host to ALLOWED_HOSTS in settings.py and restarts uWSGI.',
      tryThis: (p: { host: string; settings: string; wizardSettings: string }) =>
        p.wizardSettings === 'as-written'
          ? `${p.settings} adds ${p.host} already: if your settings make ALLOWED_HOSTS from a variable, put ${p.host} in it in the environment file, then restart uWSGI.`
          : `Add '${p.host}' to ALLOWED_HOSTS in your settings and restart uWSGI.`,
    },
    'django-static': {
      what: (p: { reason: string; url: string; prefix: string; dir: string; closedDir: string }) =>
        p.reason === 'no-location'
          ? `The site has no location ${p.prefix}: ${p.url} goes to the app, which does not serve static files.`
          : p.reason === 'empty'
            ? `The static files' directory ${p.dir} is empty or missing: nothing was collected or copied there.`
            : p.reason === 'closed'
              ? `nginx cannot read the static files: ${p.closedDir} is closed to its account.`
              : `nginx does not serve the static files: ${p.url} answers 404 or 403 while the page works.`,
      why: 'With DEBUG off Django serves no static files: nginx serves them itself from the directory collectstatic fills (STATIC_ROOT), through a location with an alias to it, as an account that must be able to read it.',
      fix: '',
      tryThis: (p: { reason: string; url: string; prefix: string; dir: string; closedDir: string }) =>
        p.reason === 'no-location'
          ? `Add \`location ${p.prefix} { alias ${p.dir}/; }\` to the site, then \`sudo nginx -t && sudo service nginx reload\`; the wizard's nginx step writes it when you run it again.`
          : p.reason === 'empty'
            ? `Run the wizard again: its static files step collects them into ${p.dir} (Django: manage.py collectstatic, as the app's account).`
            : p.reason === 'closed'
              ? `\`namei -l ${p.dir}\` shows every directory's mode: let nginx's group into ${p.closedDir} (or keep the files outside a home directory, as the wizard does).`
              : `\`curl -I http://127.0.0.1${p.url}\` with the site's Host, and \`namei -l\` on the file, show where it stops.`,
    },
    unexplained: {
      what: (p: { status: string }) => `The page answers ${p.status}, and no cause the doctor knows explains it.`,
      why: 'Every layer before the page passed; the evidence is what was seen last.',
      fix: '',
      tryThis: () =>
        "Read nginx's error log and uWSGI's log around the request (`sudo tail -n 50 /var/log/nginx/error.log`).",
    },
    'too-large': {
      what: (p: { bytes: string }) => `nginx refused a request body of ${p.bytes} bytes (413).`,
      why: 'nginx accepts bodies up to client_max_body_size, 1 MB unless the site says more.',
      fix: 'Raises client_max_body_size in the site, checks the configuration, and reloads nginx.',
      tryThis: () => 'Add `client_max_body_size 20m;` to the server block, then `sudo nginx -t` and reload.',
    },
  },
} satisfies { causes: Record<CauseId, CauseWords<never>> };

const doctorJa: typeof doctorEn = {
  causes: {
    'nginx-down': {
      what: () => 'nginx が動いていません。',
      why: 'nginx がいなければ、uWSGI がどうであれポート 80 では何も答えません。',
      fix: 'nginx を起動します。',
      tryThis: () =>
        '`sudo nginx -t` のあと `sudo service nginx start` を実行してください。止まった理由は `journalctl -u nginx` に出ます。',
    },
    'nginx-config': {
      what: (p) => `nginx が設定を受け付けません: ${p.file} の ${p.line} 行目です。`,
      why: 'nginx -t はすべてのファイルを読みます。一行でも誤りがあると、nginx は起動も再読み込みもできません。',
      fix: '',
      tryThis: (p) =>
        `${p.file} の ${p.line} 行目を直し (メッセージは \`sudo nginx -t\` で見られます)、\`sudo service nginx reload\` を実行してください。`,
    },
    'listen-dup': {
      what: (p) => `二つのサーバーブロックが同じ listen ${p.address} にオプションを付けています (一つは ${p.file})。`,
      why: 'default_server や ipv6only のようなオプションは、一つのアドレスにつき一つの listen 行にしか書けません。certbot や一部のイメージが二つ目を足してしまいます。',
      fix: '',
      tryThis: (p) =>
        `オプションは listen ${p.address} の一行だけに残し、ほかの行からは外して (\`grep -rn listen /etc/nginx/sites-enabled\` で探せます)、\`sudo nginx -t\` で確かめてください。`,
    },
    'site-disabled': {
      what: (p) => `サイト ${p.site} が有効になっておらず、nginx はそれを読んでいません。`,
      why: 'nginx が読むのは /etc/nginx/sites-enabled の中だけです。sites-available のサイトには、そこからのリンクが要ります。',
      fix: 'サイトを sites-enabled にリンクし、設定を検査してから nginx を再読み込みします。',
      tryThis: (p) =>
        `\`sudo ln -s ${p.site} /etc/nginx/sites-enabled/ && sudo nginx -t && sudo service nginx reload\``,
    },
    'no-site': {
      what: (p) =>
        `このアプリの nginx のサイトがありません: ${p.site} がなく、有効なサイトのどれもそのソケットへ渡していません。`,
      why: '専用のサーバーブロックがなければ、その名前へのリクエストには別のサイトが答えるか、どこも答えません。',
      fix: '',
      tryThis: (p) =>
        `uwsgi-nginx-guide でアプリを設定するか (${p.site} を書きます)、doctor にあなたのアプリを教えてください: --app-name、--user、--server-name (doctor --help)。`,
    },
    'default-site': {
      what: (p) =>
        `${p.serverName} へのリクエストが、あなたのサイトではなく別のサイト (${p.defaultSite}) に届いています。`,
      why: 'Host がそのポートのどの server_name にも合わないと、nginx はそのポートの既定のサーバーに渡します。最初から入っている既定のサイトは "Welcome to nginx!" で答えます。',
      fix: '既定のサイトのリンクを sites-enabled から外し (サイト自体は sites-available に残ります)、nginx を再読み込みします。',
      tryThis: (p) =>
        `あなたのサイトの server_name に ${p.serverName} (ブラウザーが使う名前か IP) を書くか、${p.defaultSite} を無効にしてください。`,
    },
    'socket-path-differs': {
      what: (p) => `nginx は ${p.nginxSocket} に渡していますが、uWSGI は ${p.uwsgiSocket} で待っています。`,
      why: 'nginx の upstream (uwsgi_pass) と uWSGI の socket は、まったく同じファイルを指す必要があります。uWSGI は相対パスを chdir から数えますが、nginx はそうしません。',
      fix: 'nginx の uwsgi_pass を uWSGI のソケットに向け、nginx を再読み込みします。',
      tryThis: (p) =>
        `両側で同じ絶対パスを使ってください: サイトでは \`uwsgi_pass unix:${p.uwsgiSocket};\`、ini では \`socket = ${p.uwsgiSocket}\` です。`,
    },
    permission: {
      what: (p) => `nginx (${p.user} として動作) がソケット ${p.socket} を開けません。`,
      why: 'unix ソケットにつなぐには、ソケットへの書き込み権と、途中のすべてのディレクトリに入る権利が要ります。モード 600 のソケット、nginx のユーザーを含まないグループ、750 のホームディレクトリは、どれも nginx を締め出します。',
      fix: (p) =>
        p.groupFrom === 'run-dir'
          ? `nginx のグループだけを入れます。ソケットを ${p.closedDir} から /run の下の専用ディレクトリに移し、モード 664・nginx のグループにしてから、uWSGI を再起動し nginx を再読み込みします。`
          : p.groupFrom === 'unit'
            ? 'nginx のグループだけを入れます。ソケットをモード 664 (chmod-socket) にし、nginx のグループ (ユニットの Group=) のものにして、uWSGI を再起動します。'
            : p.groupFrom === 'job'
              ? 'nginx のグループだけを入れます。ソケットをモード 664 (chmod-socket) にし、nginx のグループ (Upstart ジョブの setgid) のものにして、uWSGI を再起動します。'
              : 'nginx のグループだけを入れます。ソケットをモード 664 (chmod-socket) にし、ウィザードと同じ方法で nginx のグループとして uWSGI を起動し直します。',
      tryThis: (p) =>
        `\`namei -l ${p.socket}\` で途中のディレクトリを一つずつ確かめ、\`chmod-socket = 664\` でソケットを ${p.user} のグループに渡してください。666 や 777 にはしないでください。`,
    },
    'no-socket': {
      what: (p) => `ソケット ${p.socket} がありません。`,
      why: 'ソケットは uWSGI が起動するときに作ります。uWSGI が動いていないか、起動の途中で止まったか、再起動で /run が空になりディレクトリを作り直すものがないかのどれかです。',
      fix: 'uWSGI のサービスを起動し、起動時にも動くようにします (ソケットが /run の下なら RuntimeDirectory= も付けます)。',
      tryThis: (p) =>
        `uWSGI を起動し、止まった理由をログで確かめてください。ini が \`socket = ${p.socket}\` かも確かめてください。`,
    },
    refused: {
      what: (p) => `ソケット ${p.socket} で誰も待っていません。もういない uWSGI が残したファイルです。`,
      why: '強制終了された uWSGI はソケットのファイルを残します。そこへの接続は拒否されます。',
      fix: 'uWSGI を再起動します (止まるときにソケットを消すよう vacuum = true も付けます)。',
      tryThis: () =>
        'uWSGI を再起動してください。TCP なら localhost ではなく 127.0.0.1 と書いてください (localhost は ::1 を指すことがあります)。',
    },
    'bind-denied': {
      what: (p) => `uWSGI がソケット ${p.socket} を作れません。`,
      why: 'uWSGI はアプリのアカウントで動いており、そのアカウントにはソケットのディレクトリへの書き込み権がありません。',
      fix: 'ソケットを /run/APP に移し (systemd が起動のたびにサービス用に作ります: RuntimeDirectory=)、nginx もそこに向けます。',
      tryThis: (p) =>
        `サービスのアカウントが持つディレクトリにソケットを置くか (ユニットの RuntimeDirectory=)、${p.socket} のディレクトリを \`ls -ld\` で確かめてください。`,
    },
    'no-app': {
      what: (p) => `uWSGI は動いていますが、呼び出すアプリが見つかっていません (module ${p.module})。`,
      why: 'uWSGI は chdir からモジュールを import し、callable (指定がなければ application。Flask なら app) を探します。名前やディレクトリの誤り、import 中のエラーがあるとアプリがなく、リクエストはすべて 500 になります。',
      fix: 'ini の module (と chdir) を import できるものにして、uWSGI を再起動します。',
      tryThis: (p) =>
        `サービスのアカウントで、アプリのディレクトリから、仮想環境の python で import を試してください: \`python -c 'import ${p.module}'\`。Python 自身のメッセージは uWSGI のログにあります。`,
    },
    venv: {
      what: (p) =>
        p.broken === 'home'
          ? `uWSGI が Python を起動できません。home = ${p.home} は仮想環境ではありません (Python 自身の encodings モジュールさえありません)。`
          : `アプリが ${p.module} を import できません。uWSGI がそれを入れた仮想環境を使っていません。`,
      why: 'uWSGI は自分がビルドされた Python と、home (または virtualenv) で指定された仮想環境のパッケージを使います。システムの uWSGI や、home がない・相対パスの場合は、仮想環境のパッケージが見えません。',
      fix: 'ini で仮想環境を指定し (home = …、絶対パス)、uWSGI を再起動します。',
      tryThis: (p) =>
        p.broken === 'home'
          ? `home にアプリの仮想環境を絶対パスで指定する (\`home = ${p.venv}\`) か、home を書かずに仮想環境の uwsgi を動かしてください。`
          : `仮想環境の uwsgi をフルパスで動かすか、home に仮想環境を指定してください。${p.module} がそこに入っているかは \`venv/bin/pip show ${p.module}\` で確かめられます。`,
    },
    'apt-uwsgi': {
      what: () => 'apt の uWSGI が Python プラグインなしで動いており、Python を動かせません。',
      why: 'Debian と Ubuntu の uwsgi パッケージはプラグインに分かれています。uwsgi-plugin-python3 と plugins = python3 がなければ、module も wsgi-file も Python のリクエストも扱えません。',
      fix: (p) =>
        p.fixBy === 'venv-uwsgi'
          ? 'それを止め、アプリの仮想環境の uWSGI (Python 入り) をウィザードと同じ方法で起動します。'
          : 'uwsgi-plugin-python3 を入れ、ini に plugins = python3 を足して uWSGI を再起動します。',
      tryThis: () =>
        'アプリの仮想環境に pip で入れた uwsgi (venv/bin/uwsgi) を使うか、uwsgi-plugin-python3 を入れて `plugins = python3` を足してください。',
    },
    'http-to-uwsgi': {
      what: (p) =>
        `何かが uWSGI の uwsgi ソケットに HTTP で話しかけています (uWSGI は "${p.method}" をリクエストの大きさとして読みました)。`,
      why: 'socket = の行は uwsgi プロトコルを話し、それを話せるのは nginx の uwsgi_pass だけです。ブラウザー、curl、nginx の proxy_pass は HTTP を話します。',
      fix: '',
      tryThis: () =>
        'nginx なら proxy_pass ではなく `include uwsgi_params; uwsgi_pass …;` を使ってください。ブラウザーから使うなら uWSGI に `http-socket = :8080` を指定してください。',
    },
    'uwsgi-to-http': {
      what: (p) => `nginx が ${p.socket} に uwsgi プロトコルで話していますが、uWSGI はそこで HTTP を待っています。`,
      why: 'ini の http-socket (または http) は、そこで uWSGI に HTTP を話させます。uwsgi_pass が送るのは uwsgi プロトコルです。',
      fix: 'ini のそのアドレスを socket = にして両側とも uwsgi プロトコルで話すようにし、uWSGI を再起動します。',
      tryThis: () =>
        'ini の `socket =` と nginx の `uwsgi_pass`、または `http-socket =` と `proxy_pass` を組み合わせてください。',
    },
    'big-headers': {
      what: (p) => `リクエストのヘッダー (${p.size} バイト) が uWSGI の 4 KB のバッファーを超えています。`,
      why: 'uWSGI は buffer-size (既定は 4096) に収まらないヘッダーのリクエストを捨てます。大きな Cookie が原因のことが多く、一部の人にだけ 502 が出ます。',
      fix: 'ini に buffer-size = 32768 を設定し、uWSGI を再起動します。',
      tryThis: () => 'ini に `buffer-size = 32768` を設定するか (最大 65535)、Cookie を小さくしてください。',
    },
    harakiri: {
      what: () =>
        'リクエストが uWSGI か nginx の待てる時間より長くかかり、ワーカーが殺されるか nginx があきらめています。',
      why: 'harakiri はその秒数を超えたワーカーを殺します (nginx は 502)。uwsgi_read_timeout (既定 60 秒) が先に切れると nginx があきらめます (504)。同じ値だと競争になります。',
      fix: 'uWSGI の harakiri を nginx の uwsgi_read_timeout より短くして、遅いリクエストが uWSGI の答えで終わるようにし、uWSGI を再起動します。',
      tryThis: () =>
        '遅いリクエストを探してください (URL は uWSGI のログの HARAKIRI の近くにあります)。HARAKIRI なしに signal 9 で殺されたワーカーは、メモリ不足の OOM killer かもしれません (dmesg)。',
    },
    'queue-full': {
      what: (p) => `${p.socket} の uWSGI の待ち行列がいっぱいで、新しいリクエストが断られています。`,
      why: 'ワーカーがすべて忙しい間、リクエストはソケットの待ち行列 (既定 100) で待ちます。いっぱいになるのは、たいていワーカーが止まっているときです。',
      fix: '',
      tryThis: () =>
        'ワーカーが何を待っているか調べてください (`uwsgitop` や、ワーカーへの `py-spy dump`)。そのうえで必要なら `listen =` を net.core.somaxconn と一緒に増やしてください。',
    },
    'str-body': {
      what: (p) => `${p.file} のアプリが bytes ではなく str を返しており、ページが空になります。`,
      why: 'Python 3 では WSGI の本文の各部分は bytes でなければなりません。ガイドの wsgi.py は Python 2 向けに書かれています。',
      fix: '返すリテラルを bytes (b"…") にして、uWSGI を再起動します。',
      tryThis: (p) =>
        `${p.file} で \`return [b"…"]\` とするか、文字列を encode してください: \`[text.encode("utf-8")]\`。`,
    },
    'no-die-on-term': {
      what: (p) => `${p.ini} に die-on-term がなく、systemd が止めようとすると uWSGI は再読み込みしてしまいます。`,
      why: '2.1 より前の uWSGI は SIGTERM を「再読み込み」と受け取ります。systemd は SIGTERM でサービスを止め、90 秒待ってから強制終了します。',
      fix: 'ini に die-on-term = true を足して、uWSGI を再起動します。',
      tryThis: () => 'ini に `die-on-term = true` を足すか、ユニットに `KillSignal=SIGQUIT` を足してください。',
    },
    'unit-user': {
      what: (p) =>
        `ユニット ${p.unit} は uWSGI を ${p.user} として動かそうとしていますが、そのアカウントはありません。`,
      why: 'User= が存在しないアカウントを指していると、systemd はサービスを起動できません (status=217/USER)。',
      fix: 'User= をアプリを所有するアカウントにし、systemd を再読み込みしてサービスを再起動します。',
      tryThis: (p) =>
        `${p.unit} の User= を存在するアカウントにして (\`getent passwd ${p.user}\` では見つかりません)、\`sudo systemctl daemon-reload\` を実行してください。`,
    },
    'test-leftover': {
      what: (p) => `プロセス ${p.pid} がまだ ${p.address} を使っています。ガイドの試運転が動いたままです。`,
      why: '他のプロセスが使っているアドレスに uWSGI は bind できません。:8080 の試運転は Ctrl-C するまで動き続けます。',
      fix: 'そのプロセスを (Ctrl-C と同じように) 止めてから、サービスを再起動します。',
      tryThis: (p) =>
        `\`ss -ltnp\` と \`ps -o pid,args -p ${p.pid}\` で確かめ、\`kill -INT ${p.pid}\` で止めてください。`,
    },
    'django-hosts': {
      what: (p) =>
        `Django がホスト ${p.host} を断っています (ページが 400 Bad Request です)。ALLOWED_HOSTS に入っていません。`,
      why: 'Django は ALLOWED_HOSTS にない Host には、偽の Host ヘッダーを防ぐために 400 で答えます。nginx はブラウザーが求めた名前をそのまま渡します。runserver は localhost を通すので、nginx の後ろで初めて表に出ます。',
      fix: (p) =>
        p.wizardSettings === 'changed'
          ? `${p.settings} をウィザードが書いたとおりに書き直し (あなたの設定のあとで ALLOWED_HOSTS に ${p.host} を足します)、uWSGI を再起動します。`
          : 'settings.py の ALLOWED_HOSTS にそのホストを足し、uWSGI を再起動します。',
      tryThis: (p) =>
        p.wizardSettings === 'as-written'
          ? `${p.settings} はもう ${p.host} を足しています。あなたの設定が ALLOWED_HOSTS を変数から作っているなら、環境ファイルのその変数に ${p.host} を入れ、uWSGI を再起動してください。`
          : `あなたの設定の ALLOWED_HOSTS に '${p.host}' を足し、uWSGI を再起動してください。`,
    },
    'django-static': {
      what: (p) =>
        p.reason === 'no-location'
          ? `サイトに location ${p.prefix} がありません。${p.url} はアプリに届き、アプリは静的ファイルを返しません。`
          : p.reason === 'empty'
            ? `静的ファイルのディレクトリー ${p.dir} が空か、ありません。何も集められても、コピーされてもいません。`
            : p.reason === 'closed'
              ? `nginx が静的ファイルを読めません。${p.closedDir} が nginx のアカウントに閉じています。`
              : `nginx が静的ファイルを返しません。ページは動くのに ${p.url} が 404 か 403 です。`,
      why: 'DEBUG がオフだと Django は静的ファイルを返しません。collectstatic が集めたディレクトリー (STATIC_ROOT) から、そこを alias で指す location を通して nginx 自身が返します。nginx のアカウントがそこを読める必要があります。',
      fix: '',
      tryThis: (p) =>
        p.reason === 'no-location'
          ? `サイトに \`location ${p.prefix} { alias ${p.dir}/; }\` を足し、\`sudo nginx -t && sudo service nginx reload\` を実行してください。ウィザードをもう一度実行すれば、nginx のステップがこれを書きます。`
          : p.reason === 'empty'
            ? `ウィザードをもう一度実行してください。静的ファイルのステップが ${p.dir} に集めます (Django ならアプリのアカウントで manage.py collectstatic)。`
            : p.reason === 'closed'
              ? `\`namei -l ${p.dir}\` で各ディレクトリーのモードがわかります。${p.closedDir} に nginx のグループが入れるようにしてください (ウィザードのように、ホームディレクトリーの外に置く手もあります)。`
              : `サイトの Host を付けた \`curl -I http://127.0.0.1${p.url}\` と、ファイルへの \`namei -l\` で、どこで止まるかがわかります。`,
    },
    unexplained: {
      what: (p) => `ページが ${p.status} を返しますが、doctor の知っている原因のどれにも当たりません。`,
      why: 'ページより手前の層はすべて通りました。証拠は最後に見えたものです。',
      fix: '',
      tryThis: () =>
        'そのリクエストの時刻あたりの nginx のエラーログと uWSGI のログを読んでください (`sudo tail -n 50 /var/log/nginx/error.log`)。',
    },
    'too-large': {
      what: (p) => `nginx が ${p.bytes} バイトのリクエスト本文を断りました (413)。`,
      why: 'nginx が受け取る本文は client_max_body_size までです。サイトで指定しなければ 1 MB です。',
      fix: 'サイトの client_max_body_size を上げ、設定を検査してから nginx を再読み込みします。',
      tryThis: () =>
        'サーバーブロックに `client_max_body_size 20m;` を足し、`sudo nginx -t` のあと再読み込みしてください。',
    },
  },
};

/** The frame of `doctor`'s report and of --fix (issue 16); each cause's own words are in `doctor.causes`. */
const doctorRunEn = {
  title: (p: { app: string; user: string; serverName: string }) =>
    `doctor: ${p.app} (${p.user}) · http://${p.serverName}/`,
  layers: {
    nginx: 'nginx runs and its configuration passes nginx -t',
    site: "the app's site is enabled",
    route: 'a request for the name reaches that site',
    'socket-path': 'nginx and uWSGI name the same socket, in the same protocol',
    socket: 'the socket is there and uWSGI listens on it',
    'socket-access': "nginx's account may open the socket",
    uwsgi: 'uWSGI runs, and its log since it started is clean',
    app: "the app imports, as its account, with the venv's Python",
    'uwsgi-request': 'a request straight to the socket gets an answer',
    page: 'the page through nginx answers',
  } satisfies Record<Layer, string>,
  notChecked: 'not checked: an earlier layer fails',
  healthy: 'Healthy: every layer passed and nothing in the logs since the last start points to a problem.',
  found: (p: { count: number }) => (p.count === 1 ? 'Found 1 problem:' : `Found ${p.count} problems:`),
  beside: 'Seen as well:',
  why: 'why',
  evidence: 'evidence',
  fix: 'fix',
  tryThis: 'try this',
  exit: (p: { code: string }) => `exit ${p.code}`,
  logLine: (p: { file: string }) => `in ${p.file}:`,
  configLine: (p: { file: string; line: number }) => `${p.file}, line ${p.line}:`,
  pathTypes: { dir: 'directory', socket: 'socket', file: 'file', other: 'other' },
  stat: (p: { path: string; type: string; mode: string; owner: string; group: string }) =>
    `${p.path}: ${p.type}, mode ${p.mode}, owner ${p.owner}, group ${p.group}`,
  answerThroughNginx: (p: { status: string }) => `through nginx: ${p.status}`,
  answerFromSocket: (p: { status: string }) => `straight to the socket: ${p.status}`,
  fixHint: 'uwsgi-nginx-guide doctor --fix shows this change and makes it when you confirm.',
  fixTitle: (p: { what: string }) => `Fix: ${p.what}`,
  fixWrite: (p: { path: string; owner: string; mode: string }) =>
    `write ${p.path} (owner ${p.owner}, mode ${p.mode}; what it holds now is kept as a backup):`,
  fixRun: 'run as root:',
  fixStopsByHand: (p: { pid: string }) =>
    `uWSGI started by hand (master pid ${p.pid}) has none of the wizard's pidfile, so its stop cannot reach it: it is stopped by its pid and waited for, then started as the wizard starts it.`,
  fixConfirm: 'Make this change?',
  onFailure: 'The doctor looked at the chain:',
  keysFinding: '[↑/↓] choose   [Enter] show or hide its evidence   [f] fix it   [q] quit',
  keysFindingNoFix: '[↑/↓] choose   [Enter] show or hide its evidence   [q] quit',
  keysHealthy: '[q] quit',
  keysConfirm: '[y] make it   [n] not now',
  fixing: 'Making the fix…',
  fixOutput: 'what the fix ran',
  fixMade: 'The fix was made, and the doctor looked again:',
  fixFailed: 'A part of the fix failed (its output is below); the doctor looked again:',
  fixNeedsYes:
    'doctor --fix changes the machine, and there is no terminal here to confirm each change in. Nothing was changed. Try: add --yes to make every fix it shows, or run it in a terminal.',
};

const doctorRunJa: typeof doctorRunEn = {
  title: (p) => `診断 (doctor): ${p.app} (ユーザー ${p.user}) · http://${p.serverName}/`,
  layers: {
    nginx: 'nginx が動いていて、設定が nginx -t を通る',
    site: 'アプリのサイトが有効になっている',
    route: 'その名前へのリクエストがそのサイトに届く',
    'socket-path': 'nginx と uWSGI が同じソケットを同じプロトコルで指している',
    socket: 'ソケットがあり、uWSGI がそこで待ち受けている',
    'socket-access': 'nginx のアカウントがソケットを開ける',
    uwsgi: 'uWSGI が動いていて、起動後のログに問題がない',
    app: 'アプリがそのアカウントで、venv の Python から import できる',
    'uwsgi-request': 'ソケットに直接送ったリクエストに答えが返る',
    page: 'nginx 経由でページが返る',
  },
  notChecked: '未確認: 手前の層で失敗しています',
  healthy: '正常です: すべての層を通り、最後の起動以降のログにも問題を示す行はありません。',
  found: (p) => `問題が ${p.count} 件見つかりました:`,
  beside: 'ほかに見えたこと:',
  why: '理由',
  evidence: '証拠',
  fix: '修正',
  tryThis: '試すこと',
  exit: (p) => `終了コード ${p.code}`,
  logLine: (p) => `${p.file} より:`,
  configLine: (p) => `${p.file} の ${p.line} 行目:`,
  pathTypes: { dir: 'ディレクトリ', socket: 'ソケット', file: 'ファイル', other: 'その他' },
  stat: (p) => `${p.path}: ${p.type}、モード ${p.mode}、所有者 ${p.owner}、グループ ${p.group}`,
  answerThroughNginx: (p) => `nginx 経由: ${p.status}`,
  answerFromSocket: (p) => `ソケットに直接: ${p.status}`,
  fixHint: 'uwsgi-nginx-guide doctor --fix でこの変更を表示し、確認のうえ実行します。',
  fixTitle: (p) => `修正: ${p.what}`,
  fixWrite: (p) =>
    `${p.path} を書き込みます (所有者 ${p.owner}、モード ${p.mode}。今の内容はバックアップとして残します):`,
  fixRun: 'root で実行:',
  fixStopsByHand: (p) =>
    `手で起動した uWSGI (マスターの pid ${p.pid}) にはウィザードの pidfile がないので、ウィザードの停止方法では止まりません。pid を指定して止め、終わるのを待ってから、ウィザードと同じ方法で起動します。`,
  fixConfirm: 'この変更を行いますか?',
  onFailure: 'doctor がつながりを調べました:',
  keysFinding: '[↑/↓] 選ぶ   [Enter] 証拠を表示/隠す   [f] 修正する   [q] 終了',
  keysFindingNoFix: '[↑/↓] 選ぶ   [Enter] 証拠を表示/隠す   [q] 終了',
  keysHealthy: '[q] 終了',
  keysConfirm: '[y] 実行する   [n] やめておく',
  fixing: '修正を実行しています…',
  fixOutput: '修正で実行したコマンドの出力',
  fixMade: '修正を行い、もう一度調べました:',
  fixFailed: '修正の一部が失敗しました (出力は下にあります)。もう一度調べました:',
  fixNeedsYes:
    'doctor --fix はマシンを変更しますが、ここには一つずつ確認する端末がありません。何も変更していません。試すこと: 表示される修正をすべて行うなら --yes を付けるか、端末で実行してください。',
};

const en = {
  /** A yes/no question's answer, as it stays on the terminal once given. */
  answered: { yes: 'Yes', no: 'No' },
  step: 'Step',
  guideSection: 'guide §',
  command: 'Command',
  file: 'File',
  of: 'of',
  in: 'in',
  owner: 'owner',
  mode: 'mode',
  guideSays: 'The guide:',
  note: 'Note:',
  machine: 'Machine:',
  serviceManager: { systemd: 'systemd', upstart: 'Upstart', none: 'no service manager' } satisfies Record<
    ServiceManager,
    string
  >,
  keysConfirmCommand: '[Enter] run it   [s] skip   [q] quit',
  keysConfirmFile: '[Enter] write it   [s] skip   [q] quit',
  keysReading: '[Enter] continue   [q] quit',
  keysActionFailed: '[r] retry   [s] skip   [q] quit',
  keysCheckFailed: '[r] check again   [d] do the step again   [s] skip   [q] quit',
  keysRunning: '[q] stop and quit',
  keysServing: '[Enter] stop it (Ctrl-C in the guide) and go on   [q] stop and quit',
  fileDiffers: "This file exists and differs from what would be written (- yours, + the wizard's):",
  keysFileDiffers:
    '[r] replace it (yours is kept as FILE.bak-TIME)   [k] keep yours (step skipped)   [v] view diff / new file   [q] quit',
  serving: 'serving — open it in your browser too:',
  running: 'running',
  stopping: 'stopping the command…',
  finishingPackages:
    'apt is finishing. It is never cut off (dpkg stopped while it unpacks leaves the packages broken); the wizard ends as soon as it is done.',
  finishingPackagesAgain:
    'Still waiting for apt: Ctrl-C does not cut it off, as that would leave "dpkg was interrupted". It ends on its own, usually within a minute or two.',
  lockWait:
    'apt is waiting for its lock ({lock}), held by process {holder}: another apt is at work (on a fresh server, often the automatic updates, unattended-upgrades). apt goes on by itself once the lock is free.',
  lockWaitLeft: '{left} left of the {limit} apt waits; then it gives up.',
  lockWaitUntil: 'apt waits at most {limit}, until {time}; then it gives up.',
  keysLockWait: '[q] stop waiting and quit (nothing is installed yet)',
  lockWaitStopped: 'apt stops waiting: it is interrupted before it changed anything.',
  listsLockWait:
    "`apt-get update` needs the package lists' lock ({lock}), held by process {holder}: another apt is at work (on a fresh server, often the automatic updates). apt does not wait for this lock, so the wizard waits for it, asking apt again every few seconds, and goes on once it is free.",
  listsLockWaitLeft: '{left} left of the {limit} the wizard waits; then it gives up.',
  listsLockWaitUntil: 'The wizard waits at most {limit}, until {time}; then it gives up.',
  listsLockWaitStopped: "The wizard stops waiting for the lists' lock: nothing was changed.",
  lockWaitGaveUp:
    'apt could not get its lock ({lock}): process {holder} holds it, another apt at work. Let that finish (see it with `ps -o pid,etime,args -p {pid}`), then retry.',
  probing: 'looking whether this step is already done…',
  preflight: 'looking for what could break this step…',
  foundRunning:
    'Found running (above). Enter stops it with the command below; k keeps it, and then no second one is started:',
  keysFoundRunning: '[Enter] stop it and let the step start its own   [k] keep it, start none   [q] quit',
  takingOver: 'stopping what was found…',
  stoppingFound: 'stopping what was found (the default; --yes does it) so that the step starts its own:',
  keptRunning: (p: { found: string }) =>
    `kept running, as chosen: ${p.found}. The service is not what runs: that process serves the app.`,
  warning: 'warning',
  notSo: 'not so here',
  whatHappens: 'what happens',
  checking: 'checking the result…',
  auto: 'unattended (--yes): every command runs without asking',
  quiz: {
    title: 'Quiz',
    question: 'question',
    right: 'Right.',
    wrong: 'Not quite.',
    chooseFirst: 'Choose an answer first: type its number, or move to it with ↑/↓.',
    keys: (p: { n: number }) => `[1-${p.n}] or [↑/↓] + [Enter] answer   [q] quit`,
    keysNext: '[Enter] next question   [q] quit',
    keysDone: '[Enter] continue   [q] quit',
    score: (p: { firstTry: number; total: number; answered: number }) =>
      `Quiz: ${p.firstTry} of ${p.total} right at the first try (${p.answered} answered)`,
  },
  glossary: {
    key: '[g] glossary',
    title: 'Glossary',
    here: '▶ used in this step',
    keys: '[↑/↓] scroll   [PgUp/PgDn] page   [g/Esc] close',
    behind: 'The step waits behind this; a running command goes on.',
    noMatch: (p: { word: string }) => `No glossary term contains "${p.word}".`,
    tryAll: 'Try: uwsgi-nginx-guide glossary (without a word) to list every term.',
  },
  handsOn: {
    mode: 'hands-on: you type each step in your own shell (another terminal or tmux pane); the wizard watches and moves on when it sees the result',
    typeThis: 'Type in your shell',
    as: 'as',
    writeFile: 'Write this file',
    watching: 'watching your shell for the result (every second)',
    pageSeen: 'The page answered. Now stop uWSGI with Ctrl-C in your shell; the wizard moves on when the port is free.',
    hintWords: 'Hint 1 — what to do:',
    hintExact: 'Hint 2 — exactly this, pasted into a shell of',
    wrongMove: 'Looks like a wrong move',
    seen: 'seen',
    keys: (p: { level: number }) => `[h] hint (${p.level} of 3)   [s] skip   [q] quit`,
    keysLast: '[h] let the wizard do it for you   [s] skip   [q] quit',
    doingForYou:
      'The wizard does this step for you (hint 3): each command is shown and runs when you confirm. It is noted in your report.',
    keysConfirmForYou: '[Enter] run it   [b] back: I do it myself   [s] skip   [q] quit',
    notYet: 'not yet',
  },
  writeProblem: {
    noAccount: (p: { owner: string; group: string }) =>
      `cannot find the account ${p.owner} or the group ${p.group}: the file was not written.`,
    noBackup: (p: { path: string; output: string }) =>
      `could not keep a copy of the earlier ${p.path} (${p.output}), so it was not replaced.`,
    notInstalled: (p: { output: string }) => `sudo install could not put the file in place: ${p.output}`,
    refused: (p: { path: string; code: string }) =>
      `the system refused to write ${p.path} (${p.code}): the file was not written.`,
  },
  fileOutcome: {
    written: (p: { path: string }) => `${p.path}: written`,
    writtenKept: (p: { path: string; backup: string }) =>
      `${p.path}: written; the earlier version is kept as ${p.backup}`,
    unchanged: (p: { path: string }) => `${p.path}: already exactly as shown, left alone`,
  },
  failedCommand: 'The command failed',
  exitCode: 'exit code',
  timedOut: 'time limit reached',
  checksFailed: 'A check did not pass',
  expected: 'expected',
  found: 'found',
  /**
   * A check's probe and what it saw, in words (src/ui/probe-text.ts): `wants` from the probe, `saw`
   * from its observation. A program's own text (its output, a body, an error) is put in as it is.
   */
  probe: {
    wants: {
      installed: (p: { names: string }) => `installed: ${p.names}`,
      exitsZero: (p: { command: string }) => `\`${p.command}\` exits 0`,
      exitsZeroAndPrints: (p: { command: string; pattern: string }) =>
        `\`${p.command}\` exits 0 and prints /${p.pattern}/`,
      file: (p: { path: string; wants: string }) => `${p.path}: ${p.wants}`,
      exists: 'exists',
      content: 'the shown content',
      owner: (p: { owner: string }) => `owner ${p.owner}`,
      group: (p: { group: string }) => `group ${p.group}`,
      mode: (p: { mode: string }) => `mode ${p.mode}`,
      executable: 'executable',
      page: (p: { url: string; body: string }) => `HTTP 200 from ${p.url} containing "${p.body}"`,
      pageWithHost: (p: { url: string; host: string; body: string }) =>
        `HTTP 200 from ${p.url} (Host: ${p.host}) containing "${p.body}"`,
      processes: (p: { count: number; user: string; match: string }) =>
        `${p.count} processes of ${p.user} running "… ${p.match}"`,
      socket: (p: { mode: string; group: string }) => `a socket, mode ${p.mode}, group ${p.group}`,
      portFree: (p: { port: number | string }) => `nothing listening on port ${p.port}`,
      uwsgiByHandNone: 'no uWSGI serving the app other than its service',
      uwsgiService: (p: { by: string; count: number }) =>
        `one uWSGI master serving the app, started by ${p.by}, ${p.count} processes in all (master + workers)`,
      uwsgiBy: { systemd: 'its systemd unit', pidfile: 'the wizard (its pidfile)', any: 'its service' },
    },
    saw: {
      allInstalled: 'all installed',
      notInstalled: (p: { names: string }) => `not installed: ${p.names}`,
      exit: (p: { code: number | string; output: string }) => `exit ${p.code}: ${p.output}`,
      noExitCode: 'none',
      noOutput: '(no output)',
      noFile: 'no such file',
      cannotRead: (p: { error: string }) => `cannot read it (${p.error})`,
      asExpected: 'as expected',
      contentDiffers: 'content differs',
      moreDiffLines: (p: { count: number }) => `… ${p.count} more lines`,
      owner: (p: { owner: string }) => `owner ${p.owner}`,
      group: (p: { group: string }) => `group ${p.group}`,
      mode: (p: { mode: string }) => `mode ${p.mode}`,
      notExecutable: 'not executable',
      page: (p: { status: number; body: string }) => `HTTP ${p.status}: ${p.body}`,
      emptyBody: '(empty body)',
      refused: 'connection refused (ECONNREFUSED)',
      noAnswer: 'no answer within 5 s',
      cannotConnect: (p: { error: string }) => `could not connect (${p.error})`,
      running: (p: { count: number }) => `${p.count} running`,
      noUser: (p: { user: string }) => `no user ${p.user}`,
      socket: (p: { mode: string; group: string }) => `socket, mode ${p.mode}, group ${p.group}`,
      notSocket: (p: { mode: string; group: string }) => `not a socket, mode ${p.mode}, group ${p.group}`,
      noSocket: 'not there',
      free: 'free',
      inUse: (p: { port: number | string }) => `port ${p.port} is in use`,
      cannotTell: (p: { error: string }) => `cannot tell (${p.error})`,
      noUwsgi: 'no uWSGI serves the app',
      uwsgiInstance: (p: {
        pid: number;
        how: string;
        user: string;
        since: string;
        workers: number;
        serves: string;
        command: string;
      }) =>
        `pid ${p.pid}, ${p.how}, as ${p.user} since ${p.since}: master + ${p.workers} worker${p.workers === 1 ? '' : 's'} serving ${p.serves} — ${p.command}`,
      uwsgiStartedBy: {
        systemd: 'the systemd service',
        pidfile: 'started by the wizard (its pidfile)',
        'by-hand': 'running by hand, not as a service',
      },
      uwsgiServesApp: 'the app',
      uwsgiIn: (p: { command: string; cwd: string }) => `${p.command} (in ${p.cwd})`,
      checkFailed: (p: { error: string }) => `the check itself failed: ${p.error}`,
      unrecorded: 'the recorded run never asked this at this point (simulation)',
    },
    listSeparator: ', ',
    lineSeparator: ' ⏎ ',
  },
  tryThis: 'try this',
  plan: {
    step: 'Step',
    section: 'guide section',
    run: 'run',
    in: 'in',
    guide: 'guide',
    file: 'file',
    owner: 'owner',
    mode: 'mode',
    check: 'check',
    note: 'note',
    before: 'first asks',
    ifNotSo: 'if not so, it first runs',
    platform: 'Plan for',
  },
  stack: {
    title: 'stack:',
    browser: 'browser',
    nginx: 'nginx',
    socket: 'socket',
    uwsgi: 'uWSGI',
    app: 'app',
    workers: (p: { n: string }) => `${p.n} worker${p.n === '1' ? '' : 's'}`,
    socketAs: (p: { mode: string; group: string }) => `mode ${p.mode}, group ${p.group}`,
  } satisfies Record<'title' | 'browser' | StackPartId, string> & {
    workers: (p: { n: string }) => string;
    socketAs: (p: { mode: string; group: string }) => string;
  },
  simulation: {
    banner: (p: { machine: string; date: string }) =>
      `replayed from a real run recorded on ${p.machine}, ${p.date}. Nothing runs here and nothing is written.`,
    screenBanner: (p: { date: string }) =>
      `a real run recorded ${p.date} on the machine below, replayed: nothing runs, nothing is written`,
    evidence: "In the recorded run, nginx's error log said:",
    servingRecorded: 'serving, as recorded (a simulation: nothing answers at this address here):',
    findIt:
      'What is wrong? The "try this" above and the stack line point to it. [e] shows what it was and how it was fixed; [r] checks again as it was after the fix.',
    answers: 'The answers are those of the recorded run (flags and answers files are not used in a simulation):',
    recordedRun: 'What happened in the recorded run',
    retrying: 'The simulation checks again, as the recorded run did after the fix.',
    noLog: 'log: none — a simulation writes nothing (no progress, no transcript)',
    summary:
      'That was a simulation: nothing on this machine was changed. To do it for real, run the wizard without --simulate on a server.',
  },
  report: {
    title: 'uwsgi-nginx-guide — report',
    student: 'Student',
    machine: 'Machine',
    app: 'App',
    made: 'Made',
    summary: (p: { done: number; all: number; time: string; hints: number; hinted: number; forStudent: number }) =>
      `Steps done: ${p.done} of ${p.all} · time: ${p.time} · hints asked: ${p.hints} (in ${p.hinted} steps) · done by the wizard for the student: ${p.forStudent}`,
    quiz: 'Quiz',
    noQuiz: 'no quiz taken',
    quizScore: (p: { firstTry: number; total: number; answered: number }) =>
      `${p.firstTry} of ${p.total} right at the first try (${p.answered} answered)`,
    columns: ['#', 'step', 'state', 'by', 'time', 'hints', 'done for the student'],
    state: { done: 'done', skipped: 'skipped', 'not done': 'not done' },
    by: { student: 'student', wizard: 'wizard', found: 'found in place', read: 'read' },
    hint: ['—', '1 what to do', '2 the exact command', '3 do it for me'],
    yes: 'yes',
    notBegun: 'not begun',
    noRecord: (p: { path: string }) =>
      `No record to report yet: ${p.path} does not exist. Run the wizard first; every run records its steps there.`,
    noRecordOfApp: (p: { app: string; dir: string }) =>
      `No record of the app ${p.app} to report: the last run was for another app, account or directory, and none for ${p.app} is kept in ${p.dir}. Try this: run the wizard for it (--app-name ${p.app}), or \`report\` without --app-name for the last run.`,
    unusable: (p: { path: string; reason: string }) => `The record ${p.path} cannot be used: ${p.reason}.`,
    written: 'The report is written:',
    throughLink: (p: { path: string }) => ({
      message: `${p.path} is a symbolic link: the report is not written through it (in a directory others can write to, a link may point at any file). Nothing was written.`,
      tryThis: `write the report to another directory (--out DIR), or look at the link (ls -l ${p.path}), remove it (rm ${p.path}) and run again.`,
    }),
  },
  reasons: {
    appName:
      'use 1-32 lower-case letters, digits, "-" or "_", starting with a letter (it names files, the service and the nginx site)',
    user: 'use an existing account name: lower-case letters, digits, "-" or "_"',
    appDirChars: 'use an absolute path of letters, digits, ".", "_", "-" and "/"',
    appDirDotDot: 'must not contain ".."',
    appDirRoot: 'must not be /',
    webGroup: 'use an existing group name such as www-data',
    placeholder: "replace the guide's placeholder with this server's domain name or IP address",
    serverName: 'use a domain name (example.com) or an IPv4 address (203.0.113.10)',
    wholeNumber: 'must be a whole number',
    atLeastOne: 'at least 1',
    atMost64: 'at most 64',
    portRange: 'use a port from 1024 to 65535 (lower ports are reserved for system services)',
    portMax: 'at most 65535',
    port80: "port 80 is nginx's",
    appSource: 'use a path of letters, digits, ".", "_", "-", "+", "@" and "/" (your project\'s directory)',
    appModule: 'use module:callable, as uWSGI takes it (mysite.wsgi:application, app:app)',
  },
  tryLabel: 'Try:',
  deploy: {
    notOwnApp: (p: { app: string }) => ({
      message: `${p.app} is not a project of your own: deploy copies a project given with --app-source again. Nothing was changed.`,
      tryThis: `uwsgi-nginx-guide deploy --app-source DIR (the directory the wizard deployed ${p.app} from)`,
    }),
    notServed: (p: { app: string; steps: string }) => ({
      message: `${p.app} is not served yet (not done: ${p.steps}): deploy brings a running site up to date. Nothing was changed.`,
      tryThis: 'run the wizard with the same --app-source first; it serves the project, and deploy updates it later.',
    }),
    done: (p: { app: string }) => `${p.app} now serves your new code.`,
    rolledBack: (p: { app: string; kept: string }) =>
      `The new code did not serve after the reload, so the deploy put the previous code back: ${p.app} serves it again, as before the deploy. The new code is kept in ${p.kept}; uWSGI's log says why it failed.`,
    rollBackFailed: (p: { app: string }) =>
      `The new code did not serve after the reload, and with the previous code put back ${p.app} does not serve either: see [deploy-roll-back] above and uWSGI's log.`,
  },
  export: {
    unknownFormat: (p: { format: string }) => ({
      message: `there is no export format "${p.format}". Nothing was written.`,
      tryThis: '--format shell, --format ansible or --format cloud-init',
    }),
    noPlatform: () => ({
      message: 'export needs the machine it is for: --platform NAME. Nothing was written.',
      tryThis: 'uwsgi-nginx-guide --list-platforms names them (debian-12, debian-12-noinit, ubuntu-24.04, …)',
    }),
    rootNotExported: () => ({
      message:
        "An export makes the app's account on every machine it runs on; root is not an account to make, and an app run as root has every right on those machines. Nothing was written.",
      tryThis: 'a normal account, e.g. --user demo (the export creates it)',
    }),
    noCloudInit: (p: { platform: string }) => ({
      message: `${p.platform} has no service manager to boot with: cloud-init runs at a first boot, under systemd. Nothing was written.`,
      tryThis: 'the same platform without -noinit, or --format shell',
    }),
    outNotWritable: (p: { dir: string; reason: string }) => ({
      message: `cannot write into ${p.dir} (${p.reason}). Nothing was written.`,
      tryThis: '--out DIR naming a directory you may write in (it is made when missing)',
    }),
    wouldOverwrite: (p: { path: string }) => ({
      message: `${p.path} is there already; export does not replace a file unasked. Nothing was written.`,
      tryThis: 'another --out DIR, or --force to replace it',
    }),
    ownAppNotYet: (p: { path: string }) => ({
      message: `exporting your own project (${p.path}) is not possible yet: only the guide's hello world is. Nothing was written.`,
      tryThis: 'export without --app-source, or run the wizard on each machine',
    }),
    wrote: (p: { files: string }) => `wrote ${p.files}`,
  },
  cli: {
    handsOnAlone: (p: { other: string }) => ({
      message: `--hands-on and ${p.other} do not go together: in hands-on mode you type each step yourself on this machine while the wizard watches. Nothing was changed.`,
      tryThis: `--hands-on alone, in a terminal, with a second terminal (or tmux pane) to type in.`,
    }),
    noTerminal: () => ({
      message: `there is no terminal to confirm each command in. Nothing was changed.`,
      tryThis: `run it in a terminal, or add --yes to run every step unattended (--dry-run shows them first).`,
    }),
    misplaced: (p: { flags: string; many: boolean; command: string }) => ({
      message: `${p.flags} ${p.many ? 'belong' : 'belongs'} to the wizard, not to \`${p.command}\`. Nothing was changed.`,
      tryThis: `uwsgi-nginx-guide ${p.command} --help (options of ${p.command} go after it)`,
    }),
    otherPlatform: (p: { planned: string; here: string }) =>
      `running the plan for ${p.planned} (--platform) on a machine detected as ${p.here}.`,
    noPlatform: (p: { name: string }) => `there is no platform "${p.name}"; --list-platforms names them`,
    recordingUnusable: (p: { reason: string }) => ({ message: `${p.reason}\nNothing was changed.` }),
    recording: {
      missing: (p: { path: string; code: string }) =>
        `there is no recording ${p.path} (${p.code}); npm run fixtures:record makes one on a real machine`,
      notJson: (p: { source: string; error: string }) => `${p.source} is not a readable recording: ${p.error}`,
      version: (p: { source: string; version: string; reads: string }) =>
        `${p.source} is a recording of version ${p.version}; this wizard reads versions ${p.reads}`,
      incomplete: (p: { source: string }) =>
        `${p.source} lacks parts of a recording (context, timeline, commands, answers)`,
    },
    progressNotSaved: (p: { reason: string }) => `progress not saved: ${p.reason}`,
    log: (p: { path: string }) => `log: ${p.path}`,
    bug: (p: { error: string; log?: string }) =>
      `this is a bug in uwsgi-nginx-guide, please report it${p.log ? ` with ${p.log}` : ''}: ${p.error}`,
  },
  outputTail: 'last output',
  finished: 'Every step has been gone through.',
  quit: 'Stopped. Run the wizard again to continue: finished steps are recognised and skipped.',
  failed: 'Stopped at a failed step.',
  afterwards: {
    heading: 'How to run uWSGI from now on:',
    headingSimulated: 'How uWSGI is run on a real machine (this was a simulation):',
    stop: 'Stop uWSGI',
    start: 'Start uWSGI',
    uwsgiLog: 'uWSGI log',
    nginxLog: 'nginx log',
    afterReboot: 'After a reboot',
    noServiceManager: (p: { start: string }) =>
      'uWSGI will NOT start again by itself after a reboot: no service manager runs on this machine. ' +
      `After each reboot, start it with: ${p.start}`,
    keptNoServiceManager: (p: { start: string }) =>
      'That uWSGI, started by hand and kept, will NOT come back after a reboot: no service manager runs on this ' +
      `machine. After each reboot, start uWSGI with: ${p.start}`,
    keptNotEnabled: () =>
      'That uWSGI, started by hand and kept, will NOT come back after a reboot: the service was not started or ' +
      'enabled, so nothing starts the app at boot. To hand the app to the service, run the wizard again and ' +
      'let it stop that uWSGI (Enter at the warning).',
  },
  status: {
    todo: 'to do',
    done: 'done',
    'already-done': 'already done',
    skipped: 'skipped',
    failed: 'failed',
  } satisfies Record<StepStatus, string>,
  doneEarlier: 'done earlier (not redone this time)',
  resumeTitle: 'Welcome back. What this machine already has:',
  resumeTitleFirstVisit: 'Part of what the guide sets up is already on this machine:',
  resumeKeys: '[↑/↓] choose where to continue   [Enter] continue from ▶   [q] quit',
  resumeState: { done: 'done', todo: 'to do', changed: 'changed', skipped: 'skipped' } satisfies Record<
    ResumeState,
    string
  >,
  changedHint: 'was done, its result has gone: it will be done again',
  progressIgnored: (p: { path: string; reason: string }) =>
    `The progress file ${p.path} was ignored: ${p.reason}. The machine itself is checked instead.`,
  progressIgnoredAbout: (p: { app: string; user?: string; dir?: string }) =>
    `It was the record of the app ${p.app}${p.user ? ` (${p.user}${p.dir ? `, ${p.dir}` : ''})` : ''}: that app is the one looked at here.`,
  progressSetAside: (p: { aside: string }) => `It was kept as ${p.aside}; this run starts a new record.`,
  ignoredBecause: {
    unreadable: (p: { code: string }) => `it cannot be read (${p.code})`,
    notJson: 'it is not JSON (cut short, or overwritten by something else)',
    version: (p: { found: string; reads: number }) => `it has version ${p.found}, this wizard reads version ${p.reads}`,
    damaged: (p: { field: string; expected?: string }) =>
      `it is damaged: ${p.field || 'the record'} ${p.expected ? `should be a ${p.expected}` : 'holds something unexpected'}`,
  },
  nothingChangedTryHelp: 'Nothing was changed. Try: uwsgi-nginx-guide --help',
  /** A command line commander refused (src/app/command-line.ts): nothing ran. */
  commandLine: {
    unknownOption: (p: { option: string; suggestion?: string }) =>
      `there is no option ${p.option}${p.suggestion ? ` (did you mean ${p.suggestion}?)` : ''}. Nothing was changed.`,
    missingValue: (p: { option: string }) => `${p.option} needs a value after it. Nothing was changed.`,
    badValue: (p: { option: string; value: string; allowed?: string }) =>
      `${p.option} does not take "${p.value}"${p.allowed ? `; it takes ${p.allowed}` : ''}. Nothing was changed.`,
    unknownCommand: (p: { name: string; commands: string }) =>
      `there is no command "${p.name}" (the commands are ${p.commands}). Nothing was changed.`,
    unexpectedWord: (p: { word: string; command: string }) =>
      `${p.command} has no place for "${p.word}". Nothing was changed.`,
    other: (p: { text: string }) => `${p.text} Nothing was changed.`,
  },
  rolledBack: 'The step is all or nothing: what it had done so far was taken back (newest first):',
  rollbackKept:
    'The step is all or nothing, but taking it back failed. Still on this machine, and still recorded for undo ' +
    '(newest first):',
  rollbackKeptTryNow:
    'Try: find why in the output above and fix it, then [r] to do the step again; or [q], then uwsgi-nginx-guide undo.',
  rollbackKeptTry:
    'Try: read in the log why the command failed (after "rolling back"), fix that, then run uwsgi-nginx-guide undo ' +
    'to take these back, or run the wizard again to do the step.',
  stoppedBeforeAnyStep: 'Stopped before any step: nothing was changed. Run the same command again to continue.',
  stoppedAtQuestion: 'Stopped at a question (Ctrl-C): nothing was changed. Run the same command again to start over.',
  answersFromRecord: (p: { app: string }) => `For ${p.app}, the app of the last run (--app-name names another).`,
  noAccount: (p: { user: string }) =>
    `there is no account "${p.user}" on this machine (create it first, e.g. adduser ${p.user})`,
  noGroup: (p: { group: string }) =>
    `there is no group "${p.group}" on this machine (nginx's is www-data on Debian and Ubuntu)`,
  appAccount: {
    rootWarning:
      "Warning: the app would run as root. uWSGI and the app's code (everything it does for every request) would " +
      'have every right on this machine: a bug or a break-in in the app could read, change or delete anything on ' +
      "it, and the app would live in root's home. The guide, and every current version of it, runs the app as a " +
      'normal account (its "demo", made with adduser).',
    confirmRoot: 'Run the app as root anyway?',
    planningRoot: 'Planning only: a run asks you to confirm root at the question, or, with --yes, needs --allow-root.',
    rootNotAllowed: (p: { user: string }) => ({
      message: `--user ${p.user} with --yes would run the app's code as root, with every right on this machine, and nobody was asked. Nothing was changed.`,
      tryThis: `a normal account: --user demo (create it first: adduser demo); or, if you do mean root, add --allow-root.`,
    }),
    noNormalAccount: () => ({
      message: `no account but root could own the app and run uWSGI (no SUDO_USER, and no normal account on this machine), and the wizard runs the app as root only when told to. Nothing was changed.`,
      tryThis: `create the guide's account first (adduser --disabled-password --gecos '' demo), then --user demo; or, if you do mean root, --user root --allow-root.`,
    }),
    noneIntro:
      "This machine has no normal account, only root and the system's own. The guide runs the app as one (its " +
      '"demo"): the wizard can create it now.',
    createName: 'Name of the account to create',
    willRun: 'The wizard runs:',
    createConfirm: 'Create it?',
    createFailed: (p: { code: number | null }) =>
      `adduser failed (exit ${p.code}): the account was not created. Name an existing account instead, or stop (Ctrl-C), fix this and run the wizard again.`,
    newName: 'use a letter first, then lower-case letters, digits, "-" or "_" (at most 32)',
  },
  complete: 'Every step is done.',
  nextStep: 'Next step:',
  sudo: {
    password: (p: { user: string }) => `[sudo] password for ${p.user} (asked once: the system steps need root)`,
    hidden: '(what you type is not shown)',
    wrong: 'Sorry, that password was not accepted. Try again.',
    gaveUp: (p: { user: string }) => ({
      message: `sudo did not accept the password three times. Nothing was changed.`,
      tryThis: `run it again and type the password of ${p.user} (your login password, not root's).`,
    }),
    notAllowed: (p: { user: string; output: string }) => ({
      message: `sudo answered that ${p.user} may not run commands as root:\n${p.output}\nNothing was changed.`,
      tryThis: `run it as root, or ask whoever administers this machine to add ${p.user} to the sudo group (adduser ${p.user} sudo), then log out and back in.`,
    }),
    noTerminal: (p: { user: string }) => ({
      message: `sudo needs the password of ${p.user}, and there is no terminal to ask it on. Nothing was changed.`,
      tryThis: `run it in a terminal (ssh -t for a remote command), or run it as root.`,
    }),
    noSudo: (p: { user: string }) => ({
      message: `The system steps (apt, nginx, the service) need root, and sudo is not installed here. Nothing was changed.`,
      tryThis: `run it as root (su -), or as root install sudo and let ${p.user} use it (apt-get install sudo && adduser ${p.user} sudo), then log in again.`,
    }),
  },
  doctorRun: doctorRunEn,
  runLock: {
    busy: (p: { pid: number }) => ({
      message: `another uwsgi-nginx-guide is running on this machine (pid ${p.pid}). Two at once would run apt and restart nginx under each other. Nothing was changed.`,
      tryThis: `wait for it to finish (ps -f -p ${p.pid} shows it), or stop it.`,
    }),
    stuck: (p: { path: string }) => ({
      message: `the run lock ${p.path} could not be taken. Nothing was changed.`,
      tryThis: `if no wizard is running, remove it: rm ${p.path}`,
    }),
    symlink: (p: { path: string }) => ({
      message: `${p.path} is a symbolic link where the run lock or its directory should be; it is not followed. Nothing was changed.`,
      tryThis: `look at it (ls -l ${p.path}); the wizard never makes one: remove it (rm ${p.path}) and run again.`,
    }),
    notDirectory: (p: { path: string }) => ({
      message: `${p.path} should be a directory of yours for the run lock, and is not. Nothing was changed.`,
      tryThis: `look at it (ls -ld ${p.path}), move it away, and run again.`,
    }),
    notRegularFile: (p: { path: string }) => ({
      message: `the run lock ${p.path} is not a regular file. Nothing was changed.`,
      tryThis: `look at it (ls -l ${p.path}); remove it and run again.`,
    }),
    foreignOwner: (p: { path: string; uid: number; me: number }) => ({
      message: `${p.path} belongs to uid ${p.uid}, not to you (uid ${p.me}): a run lock there is neither believed nor removed. Nothing was changed.`,
      tryThis: `look at it (ls -ln ${p.path}); if no wizard is running, remove it as root (rm -r ${p.path}).`,
    }),
    writable: (p: { path: string; mode: string }) => ({
      message: `${p.path} may be written by others (mode ${p.mode}): a run lock there could be planted. Nothing was changed.`,
      tryThis: `chmod go-w ${p.path}, and run again.`,
    }),
    notTaken: (p: { path: string; output: string }) => ({
      message: `the machine's run lock (${p.path}) could not be taken through sudo: ${p.output}\nNothing was changed.`,
      tryThis: `check that sudo works for you (sudo -v), and run again.`,
    }),
    orphanStopped: (p: { group: number }) =>
      `A command left running by an earlier, killed run (process group ${p.group}) was stopped.`,
    packageManagerBusy: (p: { group: number }) => ({
      message: `a command left running by an earlier, killed run (process group ${p.group}) is still installing packages with apt or dpkg. It is not stopped: cut off, it would leave dpkg half-done. Nothing was changed.`,
      tryThis: `wait for the package manager to finish (ps -f -C apt,apt-get,aptitude,dpkg shows it), then run again.`,
    }),
  },
  /** A person's own project (--app-source, issue 17): the question, and why it is refused (exit 2, nothing ran). */
  ownApp: {
    question: "Deploy your own Flask or Django project instead of the guide's hello world?",
    missing: (p: { path: string }) => ({
      message: `there is no directory ${p.path} (--app-source). Nothing was changed.`,
      tryThis: `check the path; a relative one is read from the current directory.`,
    }),
    notDirectory: (p: { path: string }) => ({
      message: `${p.path} is a file, not a project's directory (--app-source). Nothing was changed.`,
      tryThis: `give the directory that holds manage.py, app.py or wsgi.py.`,
    }),
    unreadable: (p: { path: string; user: string; error: string }) => ({
      message: `the account ${p.user} cannot read ${p.path} (${p.error}); uWSGI runs as ${p.user}, so it must. Nothing was changed.`,
      tryThis: `let ${p.user} read it (chmod o+rx on each directory above it, or move the project), or choose its owner with --user.`,
    }),
    noPython: (p: { path: string; lookedAt: string }) => ({
      message: `${p.path} holds no Python file (looked for ${p.lookedAt}). Nothing was changed.`,
      tryThis: `give the project's own directory, the one with manage.py or app.py in it.`,
    }),
    none: (p: { path: string; lookedAt: string }) => ({
      message: `no WSGI app was found in ${p.path}: looked at ${p.lookedAt} for Django's manage.py (and its settings module), a Flask app (app = Flask(…)) or app factory (def create_app), or a function named application. Nothing was changed.`,
      tryThis: `name it: --app-module module:callable (app-module: in an answers file), e.g. --app-module app:app.`,
    }),
    several: (p: { path: string; candidates: string; first: string }) => ({
      message: `${p.path} holds more than one app: ${p.candidates}. The wizard deploys one. Nothing was changed.`,
      tryThis: `choose it: --app-module ${p.first}`,
    }),
    noModule: (p: { spec: string; lookedAt: string }) => ({
      message: `--app-module ${p.spec}: there is no ${p.lookedAt} in the project. Nothing was changed.`,
      tryThis: `the module's dotted name from the project's directory (mysite.wsgi for mysite/wsgi.py).`,
    }),
    noCallable: (p: { spec: string; file: string; callable: string }) => ({
      message: `--app-module ${p.spec}: ${p.file} defines no ${p.callable} at its top level. Nothing was changed.`,
      tryThis: `the name of the app object in ${p.file} (app = Flask(…) → ${p.spec.split(':')[0]}:app).`,
    }),
    moduleWithoutSource: () => ({
      message: '--app-module names the app in your own project: it needs --app-source too. Nothing was changed.',
      tryThis: 'uwsgi-nginx-guide --app-source PATH --app-module module:callable',
    }),
    notYet: (p: { path: string; app: string }) => ({
      message: `found ${p.app} in ${p.path}, but this build cannot deploy your own app yet: the steps that deploy it are not in it. Nothing was changed (the guide's hello world was not deployed in its place).`,
      tryThis: "without --app-source for the guide's hello world; or a build with the own-app steps (issue 17).",
    }),
    /** status and undo go on without the project (moved or deleted since): said on stderr. */
    unreadableNow: (p: { reason: string }) => `The project of this app could not be read now: ${p.reason}`,
    /** Beside the app's name in `status`. */
    statusSource: (p: { path: string }) => `your project ${p.path}`,
  },
  answersFile: {
    notFound: (p: { file: string }) => ({
      message: `there is no answers file ${p.file}. Nothing was changed.`,
      tryThis: `check its name and where it is (a relative path is read from the current directory).`,
    }),
    unreadable: (p: { file: string; reason: string }) => ({
      message: `the answers file ${p.file} cannot be read: ${p.reason}. Nothing was changed.`,
    }),
    syntax: (p: { file: string; error: string }) => ({
      message: `the answers file ${p.file} is not valid YAML (or JSON):\n${p.error}\nNothing was changed.`,
    }),
    notMapping: (p: { file: string }) => ({
      message: `the answers file ${p.file} must hold a mapping of answers (one "key: value" a line). Nothing was changed.`,
    }),
    unknownKey: (p: { file: string; key: string; near?: string; known: string }) => ({
      message: `the answers file ${p.file} has an unknown key "${p.key}"${p.near ? `: did you mean "${p.near}"?` : '.'} Nothing was changed.`,
      tryThis: `one of the known keys: ${p.known}.`,
    }),
  },
  undoNothing: (p: { app: string }) => `Nothing to undo: the wizard has no record of changes for ${p.app}.`,
  undoFromMachine: (p: { app: string }) =>
    `Without a usable record, this is what the guide's plan for ${p.app} makes and this machine has (look before you confirm: some may be yours).`,
  undoTitle: 'The wizard created or changed (newest first):',
  undoCommands: 'Undo runs:',
  byHandFound: 'uWSGI serving the app outside its service:',
  undoByHand: 'Not started by the wizard, found serving the app (undo stops it too):',
  undoConfirm: 'Take all of this back?',
  undoCertificate: (p: { names: string }) =>
    `Delete the certificate too (certbot delete --cert-name ${p.names})? Getting it again counts against the authority's limits.`,
  certificateKept: 'The certificate stays (and in the record): undo offers it again next time.',
  undoDeclined: 'Nothing was undone; the record is kept, so undo can be run again later.',
  undoNeedsYes: 'No terminal to confirm in: add --yes to undo. Nothing was changed.',
  /** An entry of the journal: what the wizard made, in the lists of undo and of a rollback. */
  entry: {
    created: (p: { path: string }) => `created ${p.path}`,
    wrote: (p: { path: string }) => `wrote ${p.path}`,
    replaced: (p: { path: string; backup: string }) => `replaced ${p.path} (earlier version in ${p.backup})`,
    relinked: (p: { path: string; previous: string }) => `pointed ${p.path} away from ${p.previous}`,
    started: (p: { what: string }) => `started ${p.what}`,
    systemdUnit: (p: { name: string }) => `the systemd service ${p.name}`,
    upstartJob: (p: { name: string }) => `the Upstart job ${p.name}`,
    uwsgiDaemon: (p: { pidFile: string }) => `uWSGI (pidfile ${p.pidFile})`,
    opened: (p: { rule: string }) => `allowed ${p.rule} in the firewall (ufw)`,
    certified: (p: { name: string }) => `obtained the certificate ${p.name} (certbot)`,

    /** `cause`: the id `doctor --json` names it by; `change`: what the fix did to the file, in the words above. */
    doctorFix: (p: { cause: string; change: string }) => `the doctor's fix of ${p.cause}: ${p.change}`,
  },
  undoRecordChanged:
    'The record changed while you were deciding (another wizard ran): nothing was undone. Run undo again to see what it holds now.',
  undoKept: 'could not take back:',
  undoDone: 'Undone. Packages installed by the wizard stay installed.',
  undoPartly: 'Undone in part: what could not be taken back is still recorded; run undo again after fixing it.',
  doctor: doctorEn,
  /** The steps after the guide's that a person may choose (issue 18): asked, or given as flags. */
  optionalSteps: {
    askFirewall: (p: { profile: string }) =>
      `The firewall (ufw) is on here and lets nobody reach nginx yet: allow nginx's ports (ufw allow '${p.profile}')?`,
    askHttps: "Get a certificate for HTTPS with certbot (Let's Encrypt) after the nginx step?",
    askEmail: "Your email address, for the certificate authority's notices (expiry, problems)",
    firewallAbsent: 'The firewall step is left out: ufw is not installed here, so nothing blocks nginx.',
    firewallInactive:
      "The firewall step is left out: ufw is installed but not active, and the wizard never switches it on. To turn it on yourself, allow ssh first: sudo ufw allow OpenSSH, then sudo ufw allow 'Nginx Full' and sudo ufw enable.",
    emailNeeded: (): Said => ({
      message: '--https needs an email address, and no terminal is here to ask it. Nothing was changed.',
      tryThis: '--https --email you@example.com: the certificate authority writes there about expiry and problems.',
    }),
    emailNotAddress: (p: { email: string }) => `${p.email}: not an email address (you@example.com)`,
    emailRefused: (p: { email: string }): Said => ({
      message: `${p.email}: not an email address. Nothing was changed.`,
      tryThis: 'an address such as you@example.com (letters, digits and . _ % + - before the @).',
    }),
    acmeServerRefused: (p: { url: string }): Said => ({
      message: `--acme-server ${p.url}: not an https:// URL. Nothing was changed.`,
      tryThis: "the ACME server's directory, such as https://acme-staging-v02.api.letsencrypt.org/directory.",
    }),
    caBundleRefused: (p: { path: string }): Said => ({
      message: `ACME_CA_BUNDLE ${p.path}: a path with a control character (a line break, a tab). Nothing was changed.`,
      tryThis: 'the path of the file that holds the CA certificate of your ACME server, such as /etc/ssl/acme-ca.pem.',
    }),
    httpsNeedsName: (p: { serverName: string }): Said => ({
      message: `--https: the server name ${p.serverName} is an IP address, and no certificate authority certifies one. Nothing was changed.`,
      tryThis: "the domain name that leads to this server (--server-name example.com): Let's Encrypt certifies names.",
    }),
    onlyWithHttps: (p: { flag: string }): Said => ({
      message: `${p.flag} is for the HTTPS step, which was not asked for. Nothing was changed.`,
      tryThis: 'add --https (and --email ADDRESS), or leave it out.',
    }),
    noUwsgiWheel: (p: { platform: string; platforms: string }): Said => ({
      message: `--uwsgi-from wheel: pip finds no prebuilt uWSGI (pyuwsgi) for ${p.platform}: its wheels need glibc 2.28 and pip 20.3 or later, and Python 3.8 to 3.13. Nothing was changed.`,
      tryThis: `leave --uwsgi-from out (or --uwsgi-from source): pip compiles uWSGI, as the guide does. The wheel is there for ${p.platforms}.`,
    }),
  },
  questions: {
    appName: 'App name (names its directory, files, service and nginx site)',
    user: 'Account that owns the app and runs uWSGI',
    appDir: 'App directory',
    webGroup: "The web server's group",
    serverName: "This server's domain name or IP address (for nginx's server_name)",
    processes: 'uWSGI worker processes',
    testPort: 'Port for the test run',
    appSource: "Your project's directory (a Flask or Django project; a git repository's working tree is read as it is)",
    appModule: 'Its WSGI app, as module:callable (uWSGI imports the module and serves the callable)',
  } satisfies Record<AnswerKey, string>,
};

const ja: typeof en = {
  answered: { yes: 'はい', no: 'いいえ' },
  step: 'ステップ',
  guideSection: 'ガイド §',
  command: 'コマンド',
  file: 'ファイル',
  of: '/',
  in: '場所',
  owner: '所有者',
  mode: 'モード',
  guideSays: 'ガイドでは:',
  note: '注:',
  machine: 'マシン:',
  serviceManager: { systemd: 'systemd', upstart: 'Upstart', none: 'サービス管理なし' },
  keysConfirmCommand: '[Enter] 実行   [s] 飛ばす   [q] 終了',
  keysConfirmFile: '[Enter] 書き込む   [s] 飛ばす   [q] 終了',
  keysReading: '[Enter] 次へ   [q] 終了',
  keysActionFailed: '[r] もう一度   [s] 飛ばす   [q] 終了',
  keysCheckFailed: '[r] もう一度確認   [d] ステップをやり直す   [s] 飛ばす   [q] 終了',
  keysRunning: '[q] 止めて終了',
  keysServing: '[Enter] 止めて先へ (ガイドでは Ctrl-C)   [q] 止めて終了',
  fileDiffers: 'このファイルはすでにあり、書き込む内容と違います (- あなたの内容、+ ウィザードの内容):',
  keysFileDiffers:
    '[r] 置き換える (あなたの内容は FILE.bak-時刻 に残します)   [k] あなたの内容を残す (ステップは飛ばす)   [v] 差分 / 新しい内容   [q] 終了',
  serving: '提供中 — ブラウザーでも開いてみてください:',
  running: '実行中',
  stopping: 'コマンドを止めています…',
  finishingPackages:
    'apt の処理が終わるのを待っています。途中で止めると (dpkg の展開中なら) パッケージが壊れた状態になるので止めません。終わりしだいウィザードも終了します。',
  finishingPackagesAgain:
    'まだ apt の終了を待っています。Ctrl-C でも止めません (止めると "dpkg was interrupted" の状態になります)。通常は 1〜2 分以内にひとりでに終わります。',
  probing: 'このステップが済んでいるか調べています…',
  preflight: 'このステップを妨げるものがないか調べています…',
  lockWait:
    'apt がロック ({lock}) の解放を待っています。持っているのはプロセス {holder} で、別の apt が作業中です (できたばかりのサーバーでは自動更新 unattended-upgrades のことが多い)。ロックが空けば apt はひとりでに先へ進みます。',
  lockWaitLeft: 'apt が待つのは最大 {limit}、残り {left}。過ぎると apt はあきらめます。',
  lockWaitUntil: 'apt が待つのは最大 {limit} ({time} まで)。過ぎると apt はあきらめます。',
  keysLockWait: '[q] 待つのをやめて終了 (まだ何もインストールしていません)',
  lockWaitStopped: 'apt の待機をやめます。何も変更する前なので中断して大丈夫です。',
  listsLockWait:
    '`apt-get update` にはパッケージ一覧のロック ({lock}) が要りますが、プロセス {holder} が持っています。別の apt が作業中です (できたばかりのサーバーでは自動更新のことが多い)。apt はこのロックを待たないので、ウィザードが数秒ごとに apt に頼み直して待ち、ロックが空けば先へ進みます。',
  listsLockWaitLeft: 'ウィザードが待つのは最大 {limit}、残り {left}。過ぎるとあきらめます。',
  listsLockWaitUntil: 'ウィザードが待つのは最大 {limit} ({time} まで)。過ぎるとあきらめます。',
  listsLockWaitStopped: 'パッケージ一覧のロックを待つのをやめます。何も変更していません。',
  lockWaitGaveUp:
    'apt はロック ({lock}) を取れませんでした。持っているのはプロセス {holder} で、別の apt が作業中です。それが終わるのを待って (`ps -o pid,etime,args -p {pid}` で確認できます)、もう一度試してください。',
  foundRunning:
    '動いているものが見つかりました (上記)。Enter で下のコマンドで止めます。k でそのまま残し、二つ目は起動しません:',
  keysFoundRunning: '[Enter] 止めてこのステップに任せる   [k] 残して何も起動しない   [q] 終了',
  takingOver: '見つかったものを止めています…',
  stoppingFound: '見つかったものを止めます (既定の動作、--yes でもこうします)。その後このステップが自分で起動します:',
  keptRunning: (p: { found: string }) =>
    `選んだとおり残しました: ${p.found}。動いているのはサービスではなく、このプロセスがアプリを提供しています。`,
  warning: '注意',
  notSo: 'そうなっていません',
  whatHappens: 'どうなるか',
  checking: '結果を確認しています…',
  auto: '自動実行 (--yes): すべてのコマンドを確認なしで実行します',
  quiz: {
    title: 'クイズ',
    question: '問',
    right: '正解です。',
    wrong: '違います。',
    chooseFirst: 'まず答えを選んでください。番号を押すか、↑/↓ で選べます。',
    keys: (p: { n: number }) => `[1-${p.n}] または [↑/↓] + [Enter] で答える   [q] 終了`,
    keysNext: '[Enter] 次の問題   [q] 終了',
    keysDone: '[Enter] 次へ   [q] 終了',
    score: (p: { total: number; firstTry: number; answered: number }) =>
      `クイズ: ${p.total} 問中 ${p.firstTry} 問を一度で正解 (回答済み ${p.answered} 問)`,
  },
  glossary: {
    key: '[g] 用語集',
    title: '用語集',
    here: '▶ このステップで使う用語',
    keys: '[↑/↓] スクロール   [PgUp/PgDn] ページ送り   [g/Esc] 閉じる',
    behind: 'ステップはこの後ろで待っています。実行中のコマンドは続いています。',
    noMatch: (p: { word: string }) => `"${p.word}" を含む用語は用語集にありません。`,
    tryAll: 'こうしてみてください: uwsgi-nginx-guide glossary (語を付けずに) ですべての用語を表示します。',
  },
  handsOn: {
    mode: 'ハンズオン: 各ステップは自分のシェル (別の端末か tmux のペイン) で入力します。ウィザードは結果を見守り、確認できたら次へ進みます',
    typeThis: 'シェルで入力',
    as: 'ユーザー',
    writeFile: 'このファイルを書く',
    watching: 'シェルでの結果を見守っています (毎秒)',
    pageSeen: 'ページが返りました。シェルで Ctrl-C を押して uWSGI を止めてください。ポートが空いたら次へ進みます。',
    hintWords: 'ヒント 1 — やること:',
    hintExact: 'ヒント 2 — これをそのまま貼り付け。シェルのユーザー:',
    wrongMove: 'よくある間違いのようです',
    seen: '見つけたもの',
    keys: (p: { level: number }) => `[h] ヒント (${p.level} / 3)   [s] 飛ばす   [q] 終了`,
    keysLast: '[h] ウィザードに代わりにやってもらう   [s] 飛ばす   [q] 終了',
    doingForYou:
      'このステップはウィザードが代わりに行います (ヒント 3)。各コマンドを示し、確認してから実行します。レポートにも記録されます。',
    keysConfirmForYou: '[Enter] 実行   [b] 戻る: 自分でやる   [s] 飛ばす   [q] 終了',
    notYet: 'まだ',
  },
  writeProblem: {
    noAccount: (p: { owner: string; group: string }) =>
      `アカウント ${p.owner} またはグループ ${p.group} が見つかりません。ファイルは書いていません。`,
    noBackup: (p: { path: string; output: string }) =>
      `元の ${p.path} の控えを残せなかったため (${p.output})、置き換えていません。`,
    notInstalled: (p: { output: string }) => `sudo install でファイルを置けませんでした: ${p.output}`,
    refused: (p: { path: string; code: string }) =>
      `システムが ${p.path} の書き込みを拒みました (${p.code})。ファイルは書いていません。`,
  },
  fileOutcome: {
    written: (p: { path: string }) => `${p.path}: 書きました`,
    writtenKept: (p: { path: string; backup: string }) =>
      `${p.path}: 書きました。元の内容は ${p.backup} に残してあります`,
    unchanged: (p: { path: string }) => `${p.path}: すでに示したとおりの内容なので、そのままにしました`,
  },
  failedCommand: 'コマンドが失敗しました',
  exitCode: '終了コード',
  timedOut: '制限時間を超えました',
  checksFailed: '確認に通らない項目があります',
  expected: '期待',
  found: '実際',
  probe: {
    wants: {
      installed: (p: { names: string }) => `インストール済み: ${p.names}`,
      exitsZero: (p: { command: string }) => `\`${p.command}\` が終了コード 0 で終わる`,
      exitsZeroAndPrints: (p: { command: string; pattern: string }) =>
        `\`${p.command}\` が終了コード 0 で終わり、/${p.pattern}/ に合う行を出力する`,
      file: (p: { path: string; wants: string }) => `${p.path}: ${p.wants}`,
      exists: 'ある',
      content: '表示した内容',
      owner: (p: { owner: string }) => `所有者 ${p.owner}`,
      group: (p: { group: string }) => `グループ ${p.group}`,
      mode: (p: { mode: string }) => `モード ${p.mode}`,
      executable: '実行できる',
      page: (p: { url: string; body: string }) => `${p.url} が HTTP 200 で "${p.body}" を含むページを返す`,
      pageWithHost: (p: { host: string; url: string; body: string }) =>
        `Host: ${p.host} で ${p.url} が HTTP 200 で "${p.body}" を含むページを返す`,
      processes: (p: { count: number; user: string; match: string }) =>
        `${p.user} のプロセスで "… ${p.match}" を実行しているものが ${p.count} 個`,
      socket: (p: { mode: string; group: string }) => `ソケットで、モード ${p.mode}、グループ ${p.group}`,
      portFree: (p: { port: number | string }) => `ポート ${p.port} で何も待ち受けていない`,
      uwsgiByHandNone: 'アプリを提供している uWSGI はサービスのものだけ',
      uwsgiService: (p: { by: string; count: number }) =>
        `アプリを提供する uWSGI のマスターが一つだけで、${p.by}が起動したもの。プロセスは全部で ${p.count} 個 (マスター + ワーカー)`,
      uwsgiBy: { systemd: 'systemd のユニット', pidfile: 'ウィザード (pidfile)', any: 'サービス' },
    },
    saw: {
      allInstalled: 'すべてインストール済み',
      notInstalled: (p: { names: string }) => `未インストール: ${p.names}`,
      exit: (p: { code: number | string; output: string }) => `終了コード ${p.code}: ${p.output}`,
      noExitCode: 'なし',
      noOutput: '(出力なし)',
      noFile: 'ファイルがない',
      cannotRead: (p: { error: string }) => `読めない (${p.error})`,
      asExpected: '期待どおり',
      contentDiffers: '内容が違う',
      moreDiffLines: (p: { count: number }) => `… ほか ${p.count} 行`,
      owner: (p: { owner: string }) => `所有者 ${p.owner}`,
      group: (p: { group: string }) => `グループ ${p.group}`,
      mode: (p: { mode: string }) => `モード ${p.mode}`,
      notExecutable: '実行できない',
      page: (p: { status: number; body: string }) => `HTTP ${p.status}: ${p.body}`,
      emptyBody: '(本文なし)',
      refused: '接続を拒否された (ECONNREFUSED)',
      noAnswer: '5 秒以内に応答がない',
      cannotConnect: (p: { error: string }) => `接続できない (${p.error})`,
      running: (p: { count: number }) => `${p.count} 個が動いている`,
      noUser: (p: { user: string }) => `ユーザー ${p.user} がいない`,
      socket: (p: { mode: string; group: string }) => `ソケット、モード ${p.mode}、グループ ${p.group}`,
      notSocket: (p: { mode: string; group: string }) => `ソケットではない、モード ${p.mode}、グループ ${p.group}`,
      noSocket: 'ない',
      free: '空いている',
      inUse: (p: { port: number | string }) => `ポート ${p.port} は使用中`,
      cannotTell: (p: { error: string }) => `確かめられない (${p.error})`,
      noUwsgi: 'アプリを提供している uWSGI はない',
      uwsgiInstance: (p: {
        pid: number;
        how: string;
        user: string;
        since: string;
        workers: number;
        serves: string;
        command: string;
      }) =>
        `pid ${p.pid}、${p.how}、${p.user} で ${p.since} から: マスター + ワーカー ${p.workers} 個が ${p.serves} を提供 — ${p.command}`,
      uwsgiStartedBy: {
        systemd: 'systemd のサービス',
        pidfile: 'ウィザードが起動したもの (pidfile)',
        'by-hand': '手で起動したもの (サービスではない)',
      },
      uwsgiServesApp: 'アプリ',
      uwsgiIn: (p: { command: string; cwd: string }) => `${p.command} (${p.cwd} で)`,
      checkFailed: (p: { error: string }) => `確認そのものが失敗した: ${p.error}`,
      unrecorded: '記録した実行では、この時点でこの確認をしていない (シミュレーション)',
    },
    listSeparator: '、',
    lineSeparator: ' ⏎ ',
  },
  tryThis: 'こうしてみてください',
  plan: {
    step: 'ステップ',
    section: 'ガイドの節',
    run: '実行',
    in: '場所',
    guide: 'ガイド',
    file: 'ファイル',
    owner: '所有者',
    mode: 'モード',
    check: '確認',
    note: '注記',
    before: '事前確認',
    ifNotSo: 'そうでなければ先に実行',
    platform: '計画の対象',
  },
  stack: {
    title: '構成:',
    browser: 'ブラウザー',
    nginx: 'nginx',
    socket: 'ソケット',
    uwsgi: 'uWSGI',
    app: 'アプリ',
    workers: (p: { n: string }) => `ワーカー ${p.n}`,
    socketAs: (p: { mode: string; group: string }) => `モード ${p.mode}、グループ ${p.group}`,
  },
  simulation: {
    banner: (p: { machine: string; date: string }) =>
      `${p.date} に ${p.machine} で記録した実際の実行を再生しています。ここでは何も実行せず、何も書き込みません。`,
    screenBanner: (p: { date: string }) => `${p.date} に下のマシンで記録した実行の再生。何も実行・書き込みしません`,
    evidence: '記録した実行では、nginx のエラーログにこう出ていました:',
    servingRecorded: '記録どおり提供中 (シミュレーションなので、ここではこのアドレスに何も応えません):',
    findIt:
      '何が悪いのでしょう? 上の「こうしてみてください」と構成の行が手がかりです。[e] で原因と直し方を表示し、[r] で直した後の状態をもう一度確認します。',
    answers: '答えは記録した実行のものです (シミュレーションではフラグや答えのファイルは使いません):',
    recordedRun: '記録した実行で起きたこと',
    retrying: '記録した実行と同じく、直した後にもう一度確認します。',
    noLog: 'ログ: なし — シミュレーションは何も書き込みません (進捗もログも)',
    summary:
      'これはシミュレーションでした。このマシンでは何も変更していません。実際に行うには、サーバーで --simulate を付けずにウィザードを実行してください。',
  },
  report: {
    title: 'uwsgi-nginx-guide — レポート',
    student: '学習者',
    machine: 'マシン',
    app: 'アプリ',
    made: '作成',
    summary: (p: { done: number; all: number; time: string; hints: number; hinted: number; forStudent: number }) =>
      `完了したステップ: ${p.done} / ${p.all} · 時間: ${p.time} · ヒント: ${p.hints} 回 (${p.hinted} ステップ) · ウィザードが代わりに行ったステップ: ${p.forStudent}`,
    quiz: 'クイズ',
    noQuiz: 'クイズは未受験',
    quizScore: (p: { firstTry: number; total: number; answered: number }) =>
      `${p.total} 問中 ${p.firstTry} 問を一度で正解 (回答済み ${p.answered} 問)`,
    columns: ['#', 'ステップ', '状態', '実施', '時間', 'ヒント', '代行'],
    state: { done: '完了', skipped: '飛ばした', 'not done': '未完了' },
    by: { student: '本人', wizard: 'ウィザード', found: '済んでいた', read: '読んだ' },
    hint: ['—', '1 やること', '2 正確なコマンド', '3 代わりに実行'],
    yes: 'はい',
    notBegun: '未着手',
    noRecord: (p: { path: string }) =>
      `レポートにする記録がまだありません: ${p.path} がありません。先にウィザードを実行してください。実行のたびにステップが記録されます。`,
    noRecordOfApp: (p: { app: string; dir: string }) =>
      `アプリ ${p.app} のレポートにする記録がありません: 最後の実行は別のアプリ・アカウント・ディレクトリのもので、${p.dir} にも ${p.app} の記録はありません。試すこと: そのアプリでウィザードを実行する (--app-name ${p.app})、または最後の実行のレポートなら --app-name を付けずに report を実行する。`,
    unusable: (p: { path: string; reason: string }) => `記録 ${p.path} を使えません: ${p.reason}。`,
    written: 'レポートを書きました:',
    throughLink: (p: { path: string }) => ({
      message: `${p.path} はシンボリックリンクです。レポートはリンクの先には書きません (他の人も書き込めるディレクトリでは、リンクはどんなファイルでも指せるからです)。何も書いていません。`,
      tryThis: `別のディレクトリに書く (--out DIR) か、リンクを確かめて (ls -l ${p.path}) 削除し (rm ${p.path})、もう一度実行してください。`,
    }),
  },
  reasons: {
    appName:
      '英小文字で始まる 1〜32 文字の英小文字・数字・"-"・"_" にしてください (ファイル、サービス、nginx のサイトの名前になります)',
    user: '既存のアカウント名 (英小文字・数字・"-"・"_") にしてください',
    appDirChars: '英字・数字・"."・"_"・"-"・"/" からなる絶対パスにしてください',
    appDirDotDot: '".." を含めないでください',
    appDirRoot: '/ そのものは使えません',
    webGroup: 'www-data のような既存のグループ名にしてください',
    placeholder: 'ガイドの仮の名前ではなく、このサーバーのドメイン名か IP アドレスにしてください',
    serverName: 'ドメイン名 (example.com) か IPv4 アドレス (203.0.113.10) にしてください',
    wholeNumber: '整数にしてください',
    atLeastOne: '1 以上にしてください',
    atMost64: '64 以下にしてください',
    portRange: '1024〜65535 のポートにしてください (それより下はシステムのサービス用です)',
    portMax: '65535 以下にしてください',
    port80: 'ポート 80 は nginx が使います',
    appSource:
      '英字・数字・"."・"_"・"-"・"+"・"@"・"/" からなるパスにしてください (あなたのプロジェクトのディレクトリ)',
    appModule: 'uWSGI と同じ module:callable の形にしてください (mysite.wsgi:application、app:app など)',
  },
  tryLabel: '次を試してください:',
  deploy: {
    notOwnApp: (p: { app: string }) => ({
      message: `${p.app} はあなた自身のプロジェクトではありません。deploy は --app-source で渡したプロジェクトをもう一度コピーするものです。何も変更していません。`,
      tryThis: `uwsgi-nginx-guide deploy --app-source DIR (${p.app} をデプロイしたときのディレクトリ)`,
    }),
    notServed: (p: { app: string; steps: string }) => ({
      message: `${p.app} はまだ提供されていません (終わっていないステップ: ${p.steps})。deploy は動いているサイトを新しくするものです。何も変更していません。`,
      tryThis:
        '先に同じ --app-source でウィザードを実行してください。ウィザードがプロジェクトを公開し、後で deploy が更新します。',
    }),
    done: (p: { app: string }) => `${p.app} は新しいコードで動いています。`,
    rolledBack: (p: { app: string; kept: string }) =>
      `新しいコードは再読み込みの後で提供できなかったので、deploy は前のコードを元に戻しました。${p.app} は deploy の前と同じように、またそれを提供しています。新しいコードは ${p.kept} に残してあります。失敗した理由は uWSGI のログにあります。`,
    rollBackFailed: (p: { app: string }) =>
      `新しいコードは再読み込みの後で提供できず、前のコードに戻しても ${p.app} は提供できていません。上の [deploy-roll-back] と uWSGI のログを見てください。`,
  },
  export: {
    unknownFormat: (p: { format: string }) => ({
      message: `"${p.format}" という書き出し形式はありません。何も書いていません。`,
      tryThis: '--format shell、--format ansible、--format cloud-init のどれか',
    }),
    noPlatform: () => ({
      message: '書き出すには、どのマシン向けかを --platform NAME で指定してください。何も書いていません。',
      tryThis:
        'uwsgi-nginx-guide --list-platforms で名前の一覧が出ます (debian-12、debian-12-noinit、ubuntu-24.04 など)',
    }),
    rootNotExported: () => ({
      message:
        'エクスポートは、実行される各マシンにアプリのアカウントを作ります。root は作るアカウントではなく、root で動くアプリはそれらのマシンのあらゆる権限を持ってしまいます。何も書いていません。',
      tryThis: '通常のアカウント。例: --user demo (エクスポートが作ります)',
    }),
    noCloudInit: (p: { platform: string }) => ({
      message: `${p.platform} には起動時に動くサービスマネージャーがありません。cloud-init は最初の起動時に systemd のもとで動くものです。何も書いていません。`,
      tryThis: '-noinit の付かない同じプラットフォームか、--format shell',
    }),
    outNotWritable: (p: { dir: string; reason: string }) => ({
      message: `${p.dir} に書き込めません (${p.reason})。何も書いていません。`,
      tryThis: '書き込めるディレクトリを --out DIR で指定してください (なければ作ります)',
    }),
    wouldOverwrite: (p: { path: string }) => ({
      message: `${p.path} はすでにあります。指定がなければ既存のファイルは置き換えません。何も書いていません。`,
      tryThis: '別の --out DIR を指定するか、置き換えてよければ --force',
    }),
    ownAppNotYet: (p: { path: string }) => ({
      message: `あなた自身のプロジェクト (${p.path}) の書き出しにはまだ対応していません。書き出せるのはガイドの hello world だけです。何も書いていません。`,
      tryThis: '--app-source を付けずに書き出すか、各マシンでウィザードを実行してください',
    }),
    wrote: (p: { files: string }) => `書き出しました: ${p.files}`,
  },
  cli: {
    handsOnAlone: (p: { other: string }) => ({
      message: `--hands-on と ${p.other} は一緒に使えません: ハンズオンモードでは、ウィザードが見守るなか、あなたがこのマシンで各ステップを入力します。何も変更していません。`,
      tryThis: `--hands-on だけを付けて端末で実行し、入力用にもう一つの端末 (または tmux のペイン) を用意してください。`,
    }),
    noTerminal: () => ({
      message: `コマンドを一つずつ確認できる端末がありません。何も変更していません。`,
      tryThis: `端末で実行してください。確認なしで全ステップを実行するなら --yes を付けます (先に --dry-run で内容を確認できます)。`,
    }),
    misplaced: (p: { flags: string; many: boolean; command: string }) => ({
      message: `${p.flags} はウィザード本体のオプションで、\`${p.command}\` のものではありません。何も変更していません。`,
      tryThis: `uwsgi-nginx-guide ${p.command} --help (${p.command} のオプションは ${p.command} の後に書きます)`,
    }),
    otherPlatform: (p: { planned: string; here: string }) =>
      `${p.planned} 用の計画 (--platform) を、${p.here} と判定したこのマシンで実行します。`,
    noPlatform: (p: { name: string }) =>
      `プラットフォーム "${p.name}" はありません。--list-platforms で一覧を表示できます`,
    recordingUnusable: (p: { reason: string }) => ({
      message: `再生する記録を使えません: ${p.reason}\n何も変更していません。`,
    }),
    recording: {
      missing: (p: { path: string; code: string }) =>
        `記録 ${p.path} がありません (${p.code})。実機で npm run fixtures:record を実行すると作れます`,
      notJson: (p: { source: string; error: string }) => `${p.source} は読める記録ではありません: ${p.error}`,
      version: (p: { source: string; version: string; reads: string }) =>
        `${p.source} はバージョン ${p.version} の記録です。このウィザードが読めるのはバージョン ${p.reads} です`,
      incomplete: (p: { source: string }) =>
        `${p.source} には記録の一部 (context, timeline, commands, answers) が欠けています`,
    },
    progressNotSaved: (p: { reason: string }) => `進捗を保存できませんでした: ${p.reason}`,
    log: (p: { path: string }) => `ログ: ${p.path}`,
    bug: (p: { error: string; log?: string }) =>
      `uwsgi-nginx-guide の不具合です。お手数ですが${p.log ? ` ${p.log} を添えて` : ''}報告してください: ${p.error}`,
  },
  outputTail: '最後の出力',
  finished: 'すべてのステップが終わりました。',
  quit: '中断しました。もう一度ウィザードを起動すれば続きから進めます。済んだステップは自動で認識されます。',
  failed: '失敗したステップで止まりました。',
  afterwards: {
    heading: 'これから uWSGI を動かすには:',
    headingSimulated: '実際のマシンでの uWSGI の動かし方 (今回はシミュレーションです):',
    stop: 'uWSGI を止める',
    start: 'uWSGI を起動',
    uwsgiLog: 'uWSGI のログ',
    nginxLog: 'nginx のログ',
    afterReboot: '再起動の後',
    noServiceManager: (p: { start: string }) =>
      'マシンを再起動しても uWSGI は自動では起動しません。このマシンではサービス管理の仕組みが動いていないためです。' +
      `再起動のたびに次のコマンドで起動してください: ${p.start}`,
    keptNoServiceManager: (p: { start: string }) =>
      '手で起動して残したその uWSGI は、マシンを再起動すると戻りません。このマシンではサービス管理の仕組みが動いて' +
      `いないためです。再起動のたびに次のコマンドで uWSGI を起動してください: ${p.start}`,
    keptNotEnabled: () =>
      '手で起動して残したその uWSGI は、マシンを再起動すると戻りません。サービスを起動も有効化もしていないので、' +
      '起動時にアプリを動かすものがありません。サービスに任せるには、ウィザードをもう一度実行し、警告のところで ' +
      'Enter を押してその uWSGI を止めさせてください。',
  },
  status: { todo: '未実施', done: '完了', 'already-done': 'すでに完了', skipped: '飛ばした', failed: '失敗' },
  doneEarlier: '以前に完了 (今回はやり直していません)',
  resumeTitle: 'おかえりなさい。このマシンですでに済んでいること:',
  resumeTitleFirstVisit: 'ガイドで用意するもののうち、このマシンにすでにあるもの:',
  resumeKeys: '[↑/↓] 続ける場所を選ぶ   [Enter] ▶ から続ける   [q] 終了',
  resumeState: { done: '完了', todo: '未実施', changed: '変化あり', skipped: '飛ばした' },
  changedHint: '完了していたが結果が消えている: もう一度行います',
  progressIgnored: (p: { path: string; reason: string }) =>
    `進捗ファイル ${p.path} は使いませんでした: ${p.reason}。代わりにマシンそのものを調べます。`,
  progressIgnoredAbout: (p: { app: string; user?: string; dir?: string }) =>
    `これはアプリ ${p.app}${p.user ? ` (${p.user}${p.dir ? `、${p.dir}` : ''})` : ''} の記録でした。ここではそのアプリを扱います。`,
  progressSetAside: (p: { aside: string }) =>
    `元のファイルは ${p.aside} として残しました。この実行で新しい記録を始めます。`,
  ignoredBecause: {
    unreadable: (p: { code: string }) => `ファイルを読めません (${p.code})`,
    notJson: 'JSON になっていません (途中で切れたか、別の内容で上書きされています)',
    version: (p: { found: string; reads: number }) =>
      `バージョン ${p.found} の記録で、このウィザードが読めるのはバージョン ${p.reads} です`,
    damaged: (p: { field: string; expected?: string }) =>
      `壊れています: ${p.field || '記録全体'} ${p.expected ? `は ${p.expected} 型であるべきです` : 'の内容が想定と違います'}`,
  },
  nothingChangedTryHelp: '何も変更していません。次を試してください: uwsgi-nginx-guide --help',
  commandLine: {
    unknownOption: (p: { option: string; suggestion?: string }) =>
      `${p.option} というオプションはありません${p.suggestion ? ` (${p.suggestion} のことですか?)` : ''}。何も変更していません。`,
    missingValue: (p: { option: string }) => `${p.option} の後に値を書いてください。何も変更していません。`,
    badValue: (p: { option: string; value: string; allowed?: string }) =>
      `${p.option} に "${p.value}" は指定できません${p.allowed ? ` (指定できるのは ${p.allowed})` : ''}。何も変更していません。`,
    unknownCommand: (p: { name: string; commands: string }) =>
      `"${p.name}" というコマンドはありません (コマンドは ${p.commands})。何も変更していません。`,
    unexpectedWord: (p: { word: string; command: string }) =>
      `${p.command} には "${p.word}" を書く場所がありません。何も変更していません。`,
    other: (p: { text: string }) => `${p.text} 何も変更していません。`,
  },
  rolledBack:
    'このステップは全部行うか何もしないかのどちらかなので、途中までに行ったことを元に戻しました (新しい順)。元に戻したもの:',
  rollbackKept:
    'このステップは全部行うか何もしないかのどちらかですが、元に戻すのに失敗しました。' +
    '次のものはまだこのマシンにあり、undo のために記録に残してあります (新しい順):',
  rollbackKeptTryNow:
    '次を試してください: 上の出力で失敗の理由を確かめて直し、[r] でステップをやり直してください。' +
    'または [q] で終了し、uwsgi-nginx-guide undo を実行してください。',
  rollbackKeptTry:
    '次を試してください: ログ ("rolling back" の後) でコマンドが失敗した理由を確かめて直してから、' +
    'uwsgi-nginx-guide undo で元に戻してください。ウィザードをもう一度実行してステップをやり直すこともできます。',
  stoppedBeforeAnyStep:
    'どのステップも始める前に止めました。何も変更していません。続けるには同じコマンドをもう一度実行してください。',
  stoppedAtQuestion:
    '質問の途中で止めました (Ctrl-C)。何も変更していません。やり直すには同じコマンドをもう一度実行してください。',
  answersFromRecord: (p: { app: string }) =>
    `前回の実行のアプリ ${p.app} について行います (別のアプリは --app-name で指定します)。`,
  noAccount: (p: { user: string }) =>
    `このマシンにアカウント "${p.user}" がありません (先に作ってください。例: adduser ${p.user})`,
  noGroup: (p: { group: string }) =>
    `このマシンにグループ "${p.group}" がありません (Debian と Ubuntu の nginx は www-data です)`,
  appAccount: {
    rootWarning:
      '注意: アプリが root として動きます。uWSGI とアプリのコード (リクエストごとに行うことすべて) が、このマシンの' +
      'あらゆる権限を持ちます。アプリのバグや侵入があれば、このマシンのどんなものでも読み、変え、消すことができてしまい、' +
      'アプリは root のホームに置かれます。ガイドも、その現行のどの版も、アプリは一般のアカウント (adduser で作る' +
      ' "demo") で動かしています。',
    confirmRoot: 'それでもアプリを root として動かしますか?',
    planningRoot:
      '計画の表示だけです: 実際に実行するときは、質問で root を確認するか、--yes なら --allow-root が必要です。',
    rootNotAllowed: (p: { user: string }) => ({
      message: `--yes で --user ${p.user} とすると、誰にも確認せずにアプリのコードを root として、このマシンのあらゆる権限で動かすことになります。何も変更していません。`,
      tryThis: `一般のアカウントを使う: --user demo (先に adduser demo で作ります)。本当に root で動かすなら --allow-root を付けてください。`,
    }),
    noNormalAccount: () => ({
      message: `アプリを所有し uWSGI を動かすアカウントが root のほかにありません (SUDO_USER がなく、このマシンに一般のアカウントもありません)。ウィザードは指示されない限りアプリを root で動かしません。何も変更していません。`,
      tryThis: `先にガイドのアカウントを作り (adduser --disabled-password --gecos '' demo)、--user demo を付けてください。本当に root で動かすなら --user root --allow-root を付けてください。`,
    }),
    noneIntro:
      'このマシンには一般のアカウントがなく、root とシステムのアカウントだけです。ガイドはアプリを一般のアカウント' +
      ' ("demo") で動かします。ウィザードがいま作ることができます。',
    createName: '作成するアカウントの名前',
    willRun: 'ウィザードが実行するコマンド:',
    createConfirm: '作成しますか?',
    createFailed: (p: { code: number | null }) =>
      `adduser が失敗しました (終了コード ${p.code})。アカウントは作られていません。既存のアカウントを指定するか、中断して (Ctrl-C) 原因を直してから、もう一度ウィザードを実行してください。`,
    newName: '英小文字で始まる 32 文字までの英小文字・数字・"-"・"_" にしてください',
  },
  complete: 'すべてのステップが完了しています。',
  nextStep: '次のステップ:',
  sudo: {
    password: (p: { user: string }) =>
      `[sudo] ${p.user} のパスワード (一度だけ聞きます: システムのステップには root が必要です)`,
    hidden: '(入力した文字は表示されません)',
    wrong: 'パスワードが受け付けられませんでした。もう一度入力してください。',
    gaveUp: (p: { user: string }) => ({
      message: `sudo がパスワードを 3 回とも受け付けませんでした。何も変更していません。`,
      tryThis: `もう一度実行し、${p.user} のパスワード (root のではなくログインのパスワード) を入力してください。`,
    }),
    notAllowed: (p: { user: string; output: string }) => ({
      message: `${p.user} は root としてコマンドを実行できない、と sudo が答えました:\n${p.output}\n何も変更していません。`,
      tryThis: `root として実行するか、このマシンの管理者に ${p.user} を sudo グループに加えてもらい (adduser ${p.user} sudo)、その後ログインし直してください。`,
    }),
    noTerminal: (p: { user: string }) => ({
      message: `sudo に ${p.user} のパスワードが必要ですが、それを尋ねる端末がありません。何も変更していません。`,
      tryThis: `端末で実行してください (リモートのコマンドなら ssh -t)。または root として実行してください。`,
    }),
    noSudo: (p: { user: string }) => ({
      message: `システムのステップ (apt、nginx、サービス) には root が必要ですが、sudo が入っていません。何も変更していません。`,
      tryThis: `root として実行する (su -) か、root で sudo を入れて ${p.user} に使えるようにし (apt-get install sudo && adduser ${p.user} sudo)、その後ログインし直してください。`,
    }),
  },
  doctorRun: doctorRunJa,
  runLock: {
    busy: (p: { pid: number }) => ({
      message: `このマシンでは別の uwsgi-nginx-guide が動いています (pid ${p.pid})。同時に動くと apt と nginx の再起動がぶつかります。何も変更していません。`,
      tryThis: `終わるのを待つ (ps -f -p ${p.pid} で確認できます) か、それを止めてください。`,
    }),
    stuck: (p: { path: string }) => ({
      message: `実行ロック ${p.path} を取れませんでした。何も変更していません。`,
      tryThis: `ウィザードが動いていなければ削除してください: rm ${p.path}`,
    }),
    symlink: (p: { path: string }) => ({
      message: `実行ロックまたはそのディレクトリがあるべき場所 ${p.path} がシンボリックリンクです。たどりません。何も変更していません。`,
      tryThis: `確かめて (ls -l ${p.path})、ウィザードが作るものではないので削除し (rm ${p.path})、もう一度実行してください。`,
    }),
    notDirectory: (p: { path: string }) => ({
      message: `${p.path} は実行ロック用のあなたのディレクトリであるはずですが、そうではありません。何も変更していません。`,
      tryThis: `確かめて (ls -ld ${p.path}) 別の場所に移し、もう一度実行してください。`,
    }),
    notRegularFile: (p: { path: string }) => ({
      message: `実行ロック ${p.path} が通常のファイルではありません。何も変更していません。`,
      tryThis: `確かめて (ls -l ${p.path}) 削除し、もう一度実行してください。`,
    }),
    foreignOwner: (p: { path: string; uid: number; me: number }) => ({
      message: `${p.path} の持ち主は uid ${p.uid} で、あなた (uid ${p.me}) ではありません。そこの実行ロックは信用も削除もしません。何も変更していません。`,
      tryThis: `確かめて (ls -ln ${p.path})、ウィザードが動いていなければ root で削除してください (rm -r ${p.path})。`,
    }),
    writable: (p: { path: string; mode: string }) => ({
      message: `${p.path} は他の人も書き込めます (mode ${p.mode})。そこの実行ロックは他人が置けてしまいます。何も変更していません。`,
      tryThis: `chmod go-w ${p.path} を実行してから、もう一度実行してください。`,
    }),
    notTaken: (p: { path: string; output: string }) => ({
      message: `マシンの実行ロック (${p.path}) を sudo で取れませんでした: ${p.output}\n何も変更していません。`,
      tryThis: `sudo が使えるか確かめて (sudo -v)、もう一度実行してください。`,
    }),
    orphanStopped: (p: { group: number }) =>
      `以前に強制終了された実行が残したコマンド (プロセスグループ ${p.group}) を止めました。`,
    packageManagerBusy: (p: { group: number }) => ({
      message: `以前に強制終了された実行が残したコマンド (プロセスグループ ${p.group}) が、まだ apt か dpkg でパッケージを入れています。途中で止めると dpkg が中途半端な状態で残るので、止めません。何も変更していません。`,
      tryThis: `パッケージマネージャーが終わるのを待ってから (ps -f -C apt,apt-get,aptitude,dpkg で確認できます)、もう一度実行してください。`,
    }),
  },
  ownApp: {
    question: 'ガイドの hello world の代わりに、あなた自身の Flask または Django のプロジェクトをデプロイしますか?',
    missing: (p) => ({
      message: `ディレクトリ ${p.path} がありません (--app-source)。何も変更していません。`,
      tryThis: `パスを確かめてください。相対パスは今いるディレクトリから探します。`,
    }),
    notDirectory: (p) => ({
      message: `${p.path} はファイルで、プロジェクトのディレクトリではありません (--app-source)。何も変更していません。`,
      tryThis: `manage.py、app.py または wsgi.py があるディレクトリを指定してください。`,
    }),
    unreadable: (p) => ({
      message: `アカウント ${p.user} は ${p.path} を読めません (${p.error})。uWSGI は ${p.user} として動くので、読める必要があります。何も変更していません。`,
      tryThis: `${p.user} が読めるようにする (上のディレクトリそれぞれに chmod o+rx、またはプロジェクトを移す) か、--user でプロジェクトの持ち主を選んでください。`,
    }),
    noPython: (p) => ({
      message: `${p.path} には Python のファイルがありません (探したもの: ${p.lookedAt})。何も変更していません。`,
      tryThis: `プロジェクトそのもののディレクトリ (manage.py や app.py があるところ) を指定してください。`,
    }),
    none: (p) => ({
      message: `${p.path} に WSGI アプリが見つかりません。${p.lookedAt} の中に、Django の manage.py (とその設定モジュール)、Flask のアプリ (app = Flask(…)) やアプリのファクトリー (def create_app)、application という関数を探しました。何も変更していません。`,
      tryThis: `--app-module module:callable (回答ファイルでは app-module:) で指定してください。例: --app-module app:app`,
    }),
    several: (p) => ({
      message: `${p.path} にはアプリが複数あります: ${p.candidates}。ウィザードがデプロイするのは一つです。何も変更していません。`,
      tryThis: `どれかを選んでください: --app-module ${p.first}`,
    }),
    noModule: (p) => ({
      message: `--app-module ${p.spec}: プロジェクトに ${p.lookedAt} がありません。何も変更していません。`,
      tryThis: `プロジェクトのディレクトリから見たモジュールの名前を、ドット区切りで指定してください (mysite/wsgi.py なら mysite.wsgi)。`,
    }),
    noCallable: (p) => ({
      message: `--app-module ${p.spec}: ${p.file} のトップレベルに ${p.callable} が定義されていません。何も変更していません。`,
      tryThis: `${p.file} にあるアプリのオブジェクトの名前を指定してください (app = Flask(…) なら ${p.spec.split(':')[0]}:app)。`,
    }),
    moduleWithoutSource: () => ({
      message:
        '--app-module はあなたのプロジェクトの中のアプリを指すので、--app-source も必要です。何も変更していません。',
      tryThis: 'uwsgi-nginx-guide --app-source PATH --app-module module:callable',
    }),
    notYet: (p) => ({
      message: `${p.path} に ${p.app} を見つけましたが、このビルドにはあなたのアプリをデプロイする手順がまだありません。何も変更していません (代わりにガイドの hello world をデプロイすることもしていません)。`,
      tryThis:
        'ガイドの hello world なら --app-source を付けずに実行してください。または自分のアプリの手順を含むビルド (issue 17) を使ってください。',
    }),
    unreadableNow: (p) => `このアプリのプロジェクトを今は読めませんでした: ${p.reason}`,
    statusSource: (p) => `あなたのプロジェクト ${p.path}`,
  },
  answersFile: {
    notFound: (p: { file: string }) => ({
      message: `回答ファイル ${p.file} がありません。何も変更していません。`,
      tryThis: `ファイル名と場所を確かめてください (相対パスは今いるディレクトリから探します)。`,
    }),
    unreadable: (p: { file: string; reason: string }) => ({
      message: `回答ファイル ${p.file} を読めません: ${p.reason}。何も変更していません。`,
    }),
    syntax: (p: { file: string; error: string }) => ({
      message: `回答ファイル ${p.file} は YAML (または JSON) として正しくありません:\n${p.error}\n何も変更していません。`,
    }),
    notMapping: (p: { file: string }) => ({
      message: `回答ファイル ${p.file} には「キー: 値」の形で回答を一行ずつ書いてください。何も変更していません。`,
    }),
    unknownKey: (p: { file: string; key: string; near?: string; known: string }) => ({
      message: `回答ファイル ${p.file} に知らないキー "${p.key}" があります。${p.near ? `"${p.near}" のことですか? ` : ''}何も変更していません。`,
      tryThis: `使えるキーは次のとおりです: ${p.known}`,
    }),
  },
  undoNothing: (p: { app: string }) => `元に戻すものはありません: ${p.app} についてウィザードの変更記録がありません。`,
  undoFromMachine: (p: { app: string }) =>
    `使える記録がないため、${p.app} 向けのガイドの計画で作られるもののうち、このマシンにあるものを挙げます (確認する前によく見てください。あなた自身のものが含まれているかもしれません)。`,
  undoTitle: 'ウィザードが作成・変更したもの (新しい順):',
  undoCommands: '元に戻すために実行するコマンド:',
  byHandFound: 'サービスの外でアプリを提供している uWSGI:',
  undoByHand: 'ウィザードが起動したものではないが、アプリを提供しているもの (これも止めます):',
  undoConfirm: 'これらをすべて元に戻しますか?',
  undoCertificate: (p) =>
    `証明書も削除しますか (certbot delete --cert-name ${p.names})? 取り直すと認証局の発行制限に数えられます。`,
  certificateKept: '証明書は残します (記録にも残るので、次の undo でもう一度尋ねます)。',
  undoDeclined: '何も元に戻していません。記録は残っているので、あとでもう一度 undo を実行できます。',
  undoNeedsYes: '確認できる端末がありません。元に戻すには --yes を付けてください。何も変更していません。',
  entry: {
    created: (p) => `${p.path} を作成`,
    wrote: (p) => `${p.path} を書き込み`,
    replaced: (p) => `${p.path} を置き換え (以前の版は ${p.backup})`,
    relinked: (p) => `${p.path} の向き先を ${p.previous} から変更`,
    started: (p) => `${p.what} を起動`,
    systemdUnit: (p) => `systemd のサービス ${p.name}`,
    upstartJob: (p) => `Upstart のジョブ ${p.name}`,
    uwsgiDaemon: (p) => `uWSGI (pidfile ${p.pidFile})`,
    opened: (p) => `ファイアウォール (ufw) で ${p.rule} を許可`,
    certified: (p) => `証明書 ${p.name} を取得 (certbot)`,

    doctorFix: (p) => `doctor による ${p.cause} の修正: ${p.change}`,
  },
  undoRecordChanged:
    '確認している間に記録が変わりました (別のウィザードが実行されました)。何も元に戻していません。今の記録を見るには undo をもう一度実行してください。',
  undoKept: '元に戻せませんでした:',
  undoDone: '元に戻しました。ウィザードが入れたパッケージはそのまま残ります。',
  undoPartly:
    '一部だけ元に戻しました。戻せなかったものは記録に残っています。原因を直してからもう一度 undo を実行してください。',
  doctor: doctorJa,
  optionalSteps: {
    askFirewall: (p) =>
      `このマシンではファイアウォール (ufw) が有効で、まだ誰も nginx に届きません。nginx のポートを許可しますか (ufw allow '${p.profile}')?`,
    askHttps: "nginx のステップの後で、certbot (Let's Encrypt) で HTTPS の証明書を取得しますか?",
    askEmail: '認証局からのお知らせ (期限切れや問題) を受け取るメールアドレス',
    firewallAbsent:
      'ファイアウォールのステップは省きます。このマシンには ufw が入っておらず、nginx を妨げるものはありません。',
    firewallInactive:
      "ファイアウォールのステップは省きます。ufw は入っていますが有効ではなく、ウィザードがそれを有効にすることはありません。自分で有効にするなら、先に ssh を許可してください: sudo ufw allow OpenSSH、次に sudo ufw allow 'Nginx Full' と sudo ufw enable。",
    emailNeeded: () => ({
      message: '--https にはメールアドレスが要りますが、尋ねる端末がありません。何も変更していません。',
      tryThis: '--https --email you@example.com のように付けてください。認証局が期限切れや問題をそこへ知らせます。',
    }),
    emailNotAddress: (p) => `${p.email}: メールアドレスではありません (you@example.com のように)`,
    emailRefused: (p) => ({
      message: `${p.email}: メールアドレスではありません。何も変更していません。`,
      tryThis: 'you@example.com のようなアドレスにしてください (@ の前は英数字と . _ % + -)。',
    }),
    acmeServerRefused: (p) => ({
      message: `--acme-server ${p.url}: https:// の URL ではありません。何も変更していません。`,
      tryThis:
        'ACME サーバーのディレクトリを指定してください。例: https://acme-staging-v02.api.letsencrypt.org/directory',
    }),
    caBundleRefused: (p) => ({
      message: `ACME_CA_BUNDLE ${p.path}: 制御文字 (改行やタブ) を含むパスです。何も変更していません。`,
      tryThis: 'ACME サーバーの CA 証明書が入ったファイルのパスを指定してください。例: /etc/ssl/acme-ca.pem',
    }),
    httpsNeedsName: (p) => ({
      message: `--https: サーバー名 ${p.serverName} は IP アドレスで、IP アドレスに証明書を出す認証局はありません。何も変更していません。`,
      tryThis:
        "このサーバーを指すドメイン名を指定してください (--server-name example.com)。Let's Encrypt が証明するのは名前です。",
    }),
    onlyWithHttps: (p) => ({
      message: `${p.flag} は HTTPS のステップのためのものですが、そのステップは求められていません。何も変更していません。`,
      tryThis: '--https (と --email ADDRESS) を付けるか、外してください。',
    }),
    noUwsgiWheel: (p) => ({
      message: `--uwsgi-from wheel: ${p.platform} 向けのビルド済み uWSGI (pyuwsgi) は pip で見つかりません。pyuwsgi の wheel には glibc 2.28 以降と pip 20.3 以降、それに Python 3.8〜3.13 が必要です。何も変更していません。`,
      tryThis: `--uwsgi-from を外す (または --uwsgi-from source) と、ガイドと同じく pip が uWSGI をコンパイルします。wheel が使えるのは ${p.platforms} です。`,
    }),
  },
  questions: {
    appName: 'アプリ名 (ディレクトリ・ファイル・サービス・nginx サイトの名前になります)',
    user: 'アプリを所有し uWSGI を動かすアカウント',
    appDir: 'アプリのディレクトリ',
    webGroup: 'Web サーバーのグループ',
    serverName: 'このサーバーのドメイン名または IP アドレス (nginx の server_name)',
    processes: 'uWSGI のワーカープロセス数',
    testPort: '試運転に使うポート',
    appSource:
      'あなたのプロジェクトのディレクトリ (Flask か Django のプロジェクト。git リポジトリなら今の作業ツリーをそのまま読みます)',
    appModule: 'WSGI アプリを module:callable の形で (uWSGI はそのモジュールを import し、callable を呼び出します)',
  },
};

export const LABELS: Record<Lang, typeof en> = { en, ja };
export type Labels = typeof en;

/** Why an action failed when it is not an exit code: a write problem in the person's words, else the log's. */
export function failureReason(failure: ActionFailure, lang: Lang): string | undefined {
  const w = LABELS[lang].writeProblem;
  const problem = failure.writeProblem;
  if (!problem) return failure.message;
  if (problem.kind === 'no-account') return w.noAccount(problem);
  if (problem.kind === 'no-backup') return w.noBackup(problem);
  if (problem.kind === 'refused') return w.refused(problem);
  return w.notInstalled(problem);
}

/** What became of a file the wizard wrote (or found already as shown), in the person's language. */
export function fileOutcomeText(path: string, outcome: WriteOutcome, lang: Lang): string {
  const w = LABELS[lang].fileOutcome;
  if (!outcome.written) return w.unchanged({ path });
  return outcome.backup ? w.writtenKept({ path, backup: outcome.backup }) : w.written({ path });
}

/** A message with its "Try:" line, in the person's language. */
export function fixable(said: Said, lang: Lang): string {
  return said.tryThis === undefined ? said.message : `${said.message}\n${LABELS[lang].tryLabel} ${said.tryThis}`;
}
