// The glossary (issue 7): each term the steps use, in the order the guide meets them, explained
// in both languages. `mentions` is how the term appears in the steps' English text, commands and
// files: a step's overlay lists the terms it uses first, and a content test proves that every
// entry is used by some step.
import { text } from '../src/engine/commands.js';
import type { GlossaryEntry } from '../src/engine/glossary.js';

export const glossary: readonly GlossaryEntry[] = [
  {
    term: text('WSGI', 'WSGI'),
    definition: text(
      'Web Server Gateway Interface: a Python specification (PEP 333, updated as PEP 3333) for how a web server calls a Python application. It is an agreement, not a program: any server that follows it can run any application that follows it.',
      'Web Server Gateway Interface。Web サーバーが Python のアプリケーションをどう呼ぶかを決めた Python の仕様 (PEP 333、改訂版は PEP 3333) です。プログラムではなく取り決めなので、これに従うサーバーなら、これに従うどのアプリケーションでも動かせます。',
    ),
    mentions: /\bWSGI\b/,
  },
  {
    term: text('uWSGI', 'uWSGI'),
    definition: text(
      'An application server: the program that loads your wsgi.py and calls it through WSGI, in a master process and its workers. Installed with pip into the virtualenv (the package is named "uwsgi").',
      'アプリケーションサーバー。wsgi.py を読み込み、WSGI を通じてマスタープロセスとワーカーの中で呼び出すプログラムです。pip で仮想環境に入れます (パッケージ名は "uwsgi")。',
    ),
    mentions: /\buWSGI\b/,
  },
  {
    term: text('uwsgi protocol', 'uwsgi プロトコル'),
    definition: text(
      "uWSGI's own binary wire protocol (all lower case): how nginx and uWSGI lay out a request and its answer in bytes. It rides on a unix socket or TCP; nginx speaks it with uwsgi_pass. A browser cannot speak it.",
      'uWSGI 独自のバイナリのワイヤープロトコル (すべて小文字)。nginx と uWSGI がリクエストと答えをどんなバイト列にするかの約束で、unix ソケットや TCP の上を運ばれます。nginx は uwsgi_pass でこれを話します。ブラウザーは話せません。',
    ),
    mentions: /uwsgi protocol/,
  },
  {
    term: text('callable (application)', 'callable (application)'),
    definition: text(
      'Something Python can call like a function. WSGI asks the application to offer one; uWSGI looks for one named application (module = wsgi:application) and calls it once per request.',
      '関数のように呼び出せるもの。WSGI はアプリケーションにこれを一つ用意するよう求めます。uWSGI は application という名前のものを探し (module = wsgi:application)、リクエストごとに呼びます。',
    ),
    mentions: /\bcallable\b/,
  },
  {
    term: text('environ', 'environ'),
    definition: text(
      'The first argument of a WSGI application: a dictionary describing the request (PATH_INFO, REQUEST_METHOD, the headers as HTTP_* keys, …), filled in by the server.',
      'WSGI アプリケーションの第 1 引数。リクエストを表す辞書で (PATH_INFO、REQUEST_METHOD、HTTP_* のキーになったヘッダーなど)、サーバーが中身を入れて渡します。',
    ),
    mentions: /\benviron\b/,
  },
  {
    term: text('start_response', 'start_response'),
    definition: text(
      'The second argument of a WSGI application: a function from the server. The application calls it with the status line ("200 OK") and a list of (name, value) header tuples before the body is sent.',
      'WSGI アプリケーションの第 2 引数で、サーバーが渡す関数。アプリケーションは本文を送る前に、ステータス行 ("200 OK") と (名前, 値) のヘッダーのタプルのリストを渡してこれを呼びます。',
    ),
    mentions: /start_response/,
  },
  {
    term: text('iterable (the body)', 'イテラブル (本文)'),
    definition: text(
      'What a WSGI application returns: something the server can loop over, each item a piece of the body. Under Python 3 each item must be bytes (b"…"); a str gives an empty page.',
      'WSGI アプリケーションの戻り値。サーバーがループで取り出せるもので、要素の一つ一つが本文の断片になります。Python 3 では各要素が bytes (b"…") でなければならず、str だとページが空になります。',
    ),
    mentions: /\biterable\b/,
  },
  {
    term: text('virtualenv / venv', 'virtualenv / venv (仮想環境)'),
    definition: text(
      "A directory with its own Python and its own packages (here APPenv), apart from the system's. The guide makes it with the virtualenv tool; current systems use Python's built-in python3 -m venv. Its programs can be called by full path (APPenv/bin/uwsgi) without activating it.",
      'システムとは別に、専用の Python とパッケージを持つディレクトリ (ここでは APPenv)。ガイドは virtualenv というツールで作りますが、今のシステムでは Python 標準の python3 -m venv を使います。中のプログラムは activate しなくても絶対パス (APPenv/bin/uwsgi) で呼べます。',
    ),
    mentions: /\bvirtualenv\b|\bvenv\b/,
  },
  {
    term: text('pip', 'pip'),
    definition: text(
      "Python's package installer. Inside a virtualenv it installs into that environment only; here it downloads and compiles uWSGI.",
      'Python のパッケージインストーラー。仮想環境の中ではその環境にだけ入れます。ここでは uWSGI をダウンロードしてコンパイルします。',
    ),
    mentions: /\bpip\b/,
  },
  {
    term: text('PEP 668 (externally managed)', 'PEP 668 (externally managed)'),
    definition: text(
      'A rule of current Debian and Ubuntu: pip refuses to install into the system\'s Python ("externally-managed-environment"), which apt manages. That is why the guide\'s sudo pip install virtualenv fails and a venv is used instead.',
      '今の Debian や Ubuntu の決まりで、apt が管理するシステムの Python に pip で入れることを拒みます ("externally-managed-environment")。ガイドの sudo pip install virtualenv が失敗し、代わりに venv を使うのはこのためです。',
    ),
    mentions: /PEP 668/,
  },
  {
    term: text('python3-dev, build-essential', 'python3-dev, build-essential'),
    definition: text(
      "pip install uwsgi compiles C code: it needs a compiler (build-essential) and Python's header files such as Python.h (python3-dev, python-dev in the guide).",
      'pip install uwsgi は C のコードをコンパイルするので、コンパイラー (build-essential) と Python.h などの Python のヘッダーファイル (python3-dev、ガイドでは python-dev) が必要です。',
    ),
    mentions: /python3?-dev|build-essential/,
  },
  {
    term: text('ensurepip, python3-venv', 'ensurepip, python3-venv'),
    definition: text(
      'The part of Python that puts pip into a new venv. Debian ships it separately, in python3-venv; without it, python3 -m venv stops with "ensurepip is not available".',
      '新しい venv に pip を入れる Python の部品。Debian では python3-venv に分けて配られており、これがないと python3 -m venv が "ensurepip is not available" で止まります。',
    ),
    mentions: /ensurepip/,
  },
  {
    term: text('--protocol=http (the test run)', '--protocol=http (試運転)'),
    definition: text(
      'Makes uWSGI speak HTTP itself, so a browser can open it directly (on port 8080 in the guide). Only for testing: behind nginx it speaks its default uwsgi protocol on a socket.',
      'uWSGI 自身に HTTP を話させ、ブラウザーから直接開けるようにします (ガイドではポート 8080)。試すときだけのもので、nginx の後ろでは既定の uwsgi プロトコルをソケットで話します。',
    ),
    mentions: /--protocol=http/,
  },
  {
    term: text('SIGINT, SIGTERM (Ctrl-C)', 'SIGINT, SIGTERM (Ctrl-C)'),
    definition: text(
      'Signals that ask a process to stop. Ctrl-C in a terminal sends SIGINT (how the guide ends the test run); a service manager sends SIGTERM when it stops a service.',
      'プロセスに止まるよう求めるシグナル。端末で Ctrl-C を押すと SIGINT が送られ (ガイドが試運転を終える方法)、サービス管理の仕組みはサービスを止めるときに SIGTERM を送ります。',
    ),
    mentions: /SIGTERM|SIGINT|Ctrl-C/,
  },
  {
    term: text('ini file ([uwsgi] section)', 'ini ファイル ([uwsgi] セクション)'),
    definition: text(
      "uWSGI's options kept in a file (APP.ini) instead of on the command line, under a [uwsgi] heading; started with uwsgi --ini APP.ini.",
      'uWSGI のオプションをコマンドラインではなくファイル (APP.ini) の [uwsgi] 見出しの下にまとめたもの。uwsgi --ini APP.ini で起動します。',
    ),
    mentions: /\.ini\b/,
  },
  {
    term: text('module = wsgi:application', 'module = wsgi:application'),
    definition: text(
      'Which code uWSGI serves: the module wsgi (the file wsgi.py, found in the directory uWSGI starts in) and the callable application inside it.',
      'uWSGI が提供するコード。モジュール wsgi (uWSGI を起動したディレクトリにある wsgi.py) と、その中の callable の application です。',
    ),
    mentions: /wsgi:application/,
  },
  {
    term: text('master', 'マスター (master)'),
    definition: text(
      'With master = true, the first uWSGI process manages the others: it starts the workers, replaces one that dies, and stops them all cleanly.',
      'master = true のとき、最初の uWSGI プロセスが他のプロセスを管理します。ワーカーを起動し、倒れたものを入れ替え、全体をきれいに止めます。',
    ),
    mentions: /\bmaster\b/,
  },
  {
    term: text('worker', 'ワーカー (worker)'),
    definition: text(
      'A uWSGI process that runs your application, one request at a time; processes = 5 starts five, so five requests can be served at once.',
      'アプリケーションを動かす uWSGI のプロセスで、一度に一つのリクエストを扱います。processes = 5 で五つ起動し、同時に五つのリクエストに応えられます。',
    ),
    mentions: /\bworkers?\b/,
  },
  {
    term: text('unix socket', 'unix ソケット'),
    definition: text(
      'A connection point that is a file (APP.sock) instead of a network port. Only programs on this machine can use it, and its owner, group and mode decide which ones. uWSGI listens on it; nginx connects to it.',
      'ネットワークのポートではなくファイル (APP.sock) の形をした接続口。使えるのはこのマシンのプログラムだけで、どれが使えるかはファイルの所有者・グループ・モードで決まります。uWSGI がそこで待ち受け、nginx がつなぎに来ます。',
    ),
    mentions: /unix socket|\.sock\b/,
  },
  {
    term: text('chmod-socket', 'chmod-socket'),
    definition: text(
      "The mode uWSGI gives the socket file it creates. 664: owner and group may read and write, others only read; the group is the web server's (www-data), so nginx may connect.",
      'uWSGI が作るソケットのファイルに付けるモード。664 は所有者とグループが読み書きでき、その他は読むだけ。グループは Web サーバーのもの (www-data) なので、nginx がつなげます。',
    ),
    mentions: /chmod-socket/,
  },
  {
    term: text('vacuum', 'vacuum'),
    definition: text(
      'vacuum = true: uWSGI removes the files it made (the socket, a pidfile) when it stops, so no stale socket is left behind.',
      'vacuum = true で、uWSGI は止まるときに自分が作ったファイル (ソケットや pidfile) を消します。古いソケットが残りません。',
    ),
    mentions: /\bvacuum\b/,
  },
  {
    term: text('die-on-term', 'die-on-term'),
    definition: text(
      'die-on-term = true: on SIGTERM uWSGI exits. Without it uWSGI 2.0 reloads itself instead, so a service manager could not stop it.',
      'die-on-term = true で、uWSGI は SIGTERM を受けると終了します。これがないと uWSGI 2.0 は再読み込みしてしまい、サービス管理の仕組みが止められません。',
    ),
    mentions: /die-on-term/,
  },
  {
    term: text('www-data', 'www-data'),
    definition: text(
      "The account and group nginx's workers run as on Debian and Ubuntu. uWSGI runs with this group so that its socket belongs to it.",
      'Debian や Ubuntu で nginx のワーカーが動くアカウントとグループ。uWSGI をこのグループで動かすのは、ソケットをこのグループのものにするためです。',
    ),
    mentions: /www-data/,
  },
  {
    term: text('file mode (664, 750)', 'ファイルのモード (664, 750)'),
    definition: text(
      'Who may do what with a file, in three octal digits: owner, group, others; 4 read, 2 write, 1 execute (for a directory: enter). A home directory of 750 or 700 keeps nginx out of everything inside it.',
      'ファイルに誰が何をできるかを 3 桁の 8 進数で表したもの。順に所有者・グループ・その他で、4 が読み、2 が書き、1 が実行 (ディレクトリなら中に入る)。ホームディレクトリが 750 や 700 なら、nginx はその中の何にも届きません。',
    ),
    mentions: /\bmode\b/,
  },
  {
    term: text('/run/APP', '/run/APP'),
    definition: text(
      'A directory for files that live only while a service runs (sockets, pidfiles), emptied at boot. The wizard puts the socket there because nginx can always reach it, whatever the mode of the home directory.',
      'サービスが動いている間だけ存在するファイル (ソケット、pidfile) のためのディレクトリで、起動のたびに空になります。ホームディレクトリのモードに関係なく nginx が届くので、ウィザードはソケットをここに置きます。',
    ),
    mentions: /\/run\//,
  },
  {
    term: text('sudo, runuser', 'sudo, runuser'),
    definition: text(
      'Run one command as another account: sudo runs it as root (asking your password), runuser -u USER runs it as USER when you are already root. Each command shows which one it needs.',
      '一つのコマンドを別のアカウントで実行します。sudo は root として (パスワードを聞いて)、runuser -u USER はすでに root のときに USER として実行します。どちらが必要かは各コマンドに表示されます。',
    ),
    mentions: /\bsudo\b|\brunuser\b/,
  },
  {
    term: text('systemd unit', 'systemd ユニット'),
    definition: text(
      'systemd is the service manager of current Linux systems. A unit file (/etc/systemd/system/APP.service) tells it how to run uWSGI: as which user and group, from which directory, and to start it at boot.',
      'systemd は今の Linux のサービス管理の仕組みです。ユニットファイル (/etc/systemd/system/APP.service) に、uWSGI をどのユーザーとグループで、どのディレクトリから動かし、起動時に立ち上げるかを書きます。',
    ),
    mentions: /systemd/,
  },
  {
    term: text('Upstart', 'Upstart'),
    definition: text(
      "The service manager of Ubuntu 14.04, the guide's system: a job file in /etc/init/ and sudo start APP. It was replaced by systemd from Ubuntu 15.04.",
      'ガイドが対象にした Ubuntu 14.04 のサービス管理の仕組み。/etc/init/ のジョブファイルと sudo start APP で動かします。Ubuntu 15.04 から systemd に置き換わりました。',
    ),
    mentions: /Upstart/,
  },
  {
    term: text('pidfile (no service manager)', 'pidfile (サービス管理なし)'),
    definition: text(
      'Where no service manager runs (a container, WSL without systemd), uWSGI is started in the background (daemonized) and writes its process id to a pidfile, which uwsgi --stop reads. It does not come back after a reboot.',
      'サービス管理の仕組みがない所 (コンテナ、systemd なしの WSL) では、uWSGI をバックグラウンドで起動し (デーモン化)、プロセス番号を pidfile に書かせます。uwsgi --stop はそれを読んで止めます。再起動後には戻りません。',
    ),
    mentions: /pidfile|daemoniz/,
  },
  {
    term: text('nginx', 'nginx'),
    definition: text(
      'The web server that faces the browsers: it listens on port 80, holds many connections cheaply, can serve static files itself, and passes the requests for the app to uWSGI.',
      'ブラウザーの相手をする Web サーバー。ポート 80 で待ち受け、多数の接続を軽く抱え、静的ファイルは自分で配り、アプリへのリクエストを uWSGI に渡します。',
    ),
    mentions: /\bnginx\b/,
  },
  {
    term: text('reverse proxy, upstream', 'リバースプロキシ、upstream'),
    definition: text(
      'A server that takes requests in front of other servers and passes them on: here nginx in front of uWSGI. The server it passes to is its upstream; an upstream block can list several, to spread the load.',
      '他のサーバーの手前でリクエストを受け取り、渡す役のサーバー。ここでは uWSGI の前の nginx です。渡す先を upstream と呼び、upstream ブロックに複数並べると負荷を分散できます。',
    ),
    mentions: /\bupstream\b|in front of/,
  },
  {
    term: text('server block (listen, server_name)', 'サーバーブロック (listen, server_name)'),
    definition: text(
      "A server { … } section of nginx's configuration: one site. listen says the port (80); server_name the names it answers for, matched against the Host the browser sends.",
      'nginx の設定の server { … } の部分で、一つのサイトを表します。listen は待ち受けるポート (80)、server_name は答える名前で、ブラウザーが送る Host と照らし合わせます。',
    ),
    mentions: /server block|server_name/,
  },
  {
    term: text('location, uwsgi_pass, uwsgi_params', 'location, uwsgi_pass, uwsgi_params'),
    definition: text(
      'location / matches every path of the site. Inside it, include uwsgi_params adds the request details uWSGI expects, and uwsgi_pass unix:…sock sends the request to uWSGI over the socket in the uwsgi protocol.',
      'location / はサイトのすべてのパスに当てはまります。その中の include uwsgi_params は uWSGI が期待するリクエスト情報を加え、uwsgi_pass unix:…sock はリクエストを uwsgi プロトコルでソケット越しに uWSGI へ送ります。',
    ),
    mentions: /uwsgi_pass|uwsgi_params/,
  },
  {
    term: text('sites-available, sites-enabled', 'sites-available, sites-enabled'),
    definition: text(
      "Debian's way of keeping nginx sites: each site is a file in /etc/nginx/sites-available, and is switched on by a symbolic link to it in /etc/nginx/sites-enabled, the directory nginx reads. Removing the link switches it off.",
      'Debian 流の nginx のサイトの置き方。サイトごとに /etc/nginx/sites-available にファイルを置き、nginx が読む /etc/nginx/sites-enabled にそれへのシンボリックリンクを作ると有効になります。リンクを消せば無効になります。',
    ),
    mentions: /sites-(available|enabled)/,
  },
  {
    term: text('nginx -t (configtest)', 'nginx -t (configtest)'),
    definition: text(
      "Checks nginx's whole configuration without changing what runs, and names the file and line of an error. The guide's service nginx configtest does the same but hides the message.",
      '動いているものを変えずに nginx の設定全体を検査し、誤りのファイルと行を示します。ガイドの service nginx configtest も同じ検査ですが、メッセージを隠してしまいます。',
    ),
    mentions: /nginx -t|configtest/,
  },
  {
    term: text('default site ("Welcome to nginx!")', '既定のサイト ("Welcome to nginx!")'),
    definition: text(
      'The site nginx installs, marked default_server: it answers every request whose Host matches no server_name, with the "Welcome to nginx!" page. Seeing it means the request did not reach your site.',
      'nginx が入れるサイトで、default_server が付いています。Host がどの server_name にも合わないリクエストに "Welcome to nginx!" のページで答えます。これが見えたら、リクエストはあなたのサイトに届いていません。',
    ),
    mentions: /Welcome to nginx|default_server/,
  },
  {
    term: text('502 Bad Gateway', '502 Bad Gateway'),
    definition: text(
      "nginx's answer when it cannot get a response from its upstream: the socket is missing, uWSGI is not running, or nginx may not open the socket. /var/log/nginx/error.log says which (2: No such file, 111: Connection refused, 13: Permission denied).",
      'nginx が upstream から答えをもらえなかったときの答え。ソケットがない、uWSGI が動いていない、nginx がソケットを開けない、のどれかです。/var/log/nginx/error.log にどれかが出ます (2: No such file、111: Connection refused、13: Permission denied)。',
    ),
    mentions: /\b502\b/,
  },
  {
    term: text('ufw (firewall)', 'ufw (ファイアウォール)'),
    definition: text(
      "Ubuntu's firewall. When it is on, ports 80 and 8080 are closed to other machines until allowed (ufw allow 'Nginx Full'); from the machine itself they still answer.",
      "Ubuntu のファイアウォール。有効なときは、許可するまで (ufw allow 'Nginx Full') ポート 80 や 8080 に他のマシンから届きません。マシン自身からは答えます。",
    ),
    mentions: /\bufw\b/,
  },
  {
    term: text('emperor mode', 'エンペラーモード (emperor)'),
    definition: text(
      'A uWSGI mode that watches a directory of ini files and runs one uWSGI (a "vassal") per file: many apps on one machine, each started, restarted and stopped as its file appears, changes or goes.',
      'ini ファイルのディレクトリを見張り、ファイルごとに uWSGI (「バサル」) を一つ動かす uWSGI のモード。一台で多数のアプリを動かし、ファイルが現れる・変わる・消えるのに合わせて起動・再起動・停止します。',
    ),
    mentions: /emperor/,
  },
  {
    term: text('static files', '静的ファイル'),
    definition: text(
      'Files sent as they are (images, CSS, JavaScript). nginx can serve them straight from disk, so that only requests that need Python reach uWSGI.',
      'そのまま送るファイル (画像、CSS、JavaScript)。nginx がディスクから直接配れるので、Python が必要なリクエストだけが uWSGI に届きます。',
    ),
    mentions: /static files/,
  },
  {
    term: text('default server (default_server)', '既定のサーバー (default_server)'),
    definition: text(
      "The server block that answers on a port when the request's Host matches no server_name there: the one marked default_server, else the first one nginx read for that port. A request that reaches it never reaches your site.",
      'リクエストの Host がそのポートのどの server_name にも合わないときに答えるサーバーブロック。default_server が付いたもの、なければ nginx がそのポートで最初に読んだものです。そこに届いたリクエストは、あなたのサイトには届きません。',
    ),
    mentions: /default server|default_server/,
  },
  {
    term: text('error.log (nginx)', 'error.log (nginx)'),
    definition: text(
      "nginx's own log of what went wrong, /var/log/nginx/error.log: each line has the time, the level and the reason, such as connect() to unix:…sock failed (13: Permission denied). The first place to look after a 502.",
      'nginx 自身がうまくいかなかったことを書くログ、/var/log/nginx/error.log。各行に時刻、重さ、理由 (たとえば connect() to unix:…sock failed (13: Permission denied)) が書かれます。502 のあとに最初に見る場所です。',
    ),
    mentions: /error\.log|journalctl -u nginx/,
  },
  {
    term: text('journal (journalctl)', 'ジャーナル (journalctl)'),
    definition: text(
      "systemd's log of every service: what uWSGI printed and what systemd said about it (started, failed, status=217/USER). journalctl -u APP shows one service's lines.",
      'systemd がすべてのサービスについて残すログ。uWSGI が出力したことと、systemd がそれについて書いたこと (起動、失敗、status=217/USER) が入ります。journalctl -u APP で一つのサービスの行だけを見られます。',
    ),
    mentions: /journalctl|status=217/,
  },
  {
    term: text('504 Gateway Timeout', '504 Gateway Timeout'),
    definition: text(
      "nginx's answer when its upstream took longer than uwsgi_read_timeout (60 s by default) to answer: uWSGI is alive, but the request is slow.",
      'upstream の答えが uwsgi_read_timeout (既定 60 秒) より遅いときの nginx の答え。uWSGI は生きていますが、リクエストが遅いのです。',
    ),
    mentions: /\b504\b|uwsgi_read_timeout/,
  },
  {
    term: text('harakiri', 'harakiri'),
    definition: text(
      "A uWSGI setting: the longest a worker may spend on one request, in seconds. A worker past it is killed and replaced (HARAKIRI in uWSGI's log), and nginx gets no answer (502).",
      'uWSGI の設定で、ワーカーが一つのリクエストにかけてよい最長の秒数。超えたワーカーは殺されて入れ替わり (uWSGI のログに HARAKIRI)、nginx には答えが返りません (502)。',
    ),
    mentions: /harakiri/i,
  },
  {
    term: text('listen queue (backlog)', '待ち行列 (listen キュー、backlog)'),
    definition: text(
      "Where new connections wait on a socket until a worker takes them: 100 by default (listen = in the ini, at most the kernel's net.core.somaxconn). Full, it turns connections away.",
      'ソケットで新しい接続がワーカーに拾われるまで待つ場所。既定は 100 です (ini の listen =、上限はカーネルの net.core.somaxconn)。いっぱいになると接続を断ります。',
    ),
    mentions: /listen queue|listen =/,
  },
  {
    term: text('buffer-size', 'buffer-size'),
    definition: text(
      "How many bytes of a request's headers uWSGI accepts: 4096 by default. A request with more (big cookies) is dropped with invalid request block size in the log.",
      'uWSGI が受け取るリクエストのヘッダーのバイト数。既定は 4096 です。それより大きい (大きな Cookie の) リクエストは捨てられ、ログに invalid request block size と出ます。',
    ),
    mentions: /buffer-size/,
  },
  {
    term: text('uWSGI plugins (uwsgi-plugin-python3)', 'uWSGI のプラグイン (uwsgi-plugin-python3)'),
    definition: text(
      "Debian's and Ubuntu's uwsgi package is split into plugins, one per language; Python needs uwsgi-plugin-python3 and plugins = python3 in the ini. The uwsgi pip builds has Python inside.",
      'Debian と Ubuntu の uwsgi パッケージは言語ごとのプラグインに分かれています。Python には uwsgi-plugin-python3 と ini の plugins = python3 が要ります。pip がビルドする uwsgi は Python を内蔵しています。',
    ),
    mentions: /plugins = python3|uwsgi-plugin-python3/,
  },
  {
    term: text('traceback', 'トレースバック (traceback)'),
    definition: text(
      "What Python prints when an exception is not caught: the calls that led to it, innermost last, then the exception (ModuleNotFoundError: No module named 'flask'). uWSGI writes it into its log when importing the app fails.",
      "例外が捕まえられなかったときに Python が出すもの。そこに至った呼び出しが内側ほど後に並び、最後に例外 (ModuleNotFoundError: No module named 'flask') が来ます。アプリの import に失敗すると、uWSGI がこれをログに書きます。",
    ),
    mentions: /traceback|Python's own message/i,
  },
  {
    term: text('ALLOWED_HOSTS (Django)', 'ALLOWED_HOSTS (Django)'),
    definition: text(
      'A Django setting in settings.py: the host names the site answers for. With DEBUG off, a request for any other Host gets 400 Bad Request.',
      'settings.py にある Django の設定で、サイトが答えるホスト名の一覧。DEBUG がオフだと、ほかの Host へのリクエストには 400 Bad Request が返ります。',
    ),
    mentions: /ALLOWED_HOSTS/,
  },
  {
    term: text('app factory (create_app)', 'アプリのファクトリー (create_app)'),
    definition: text(
      'A function that builds and returns a Flask app (create_app(), make_app()), instead of an app object made when the module is imported. uWSGI needs the object, so a small wsgi.py calls the factory once: app = create_app().',
      'Flask のアプリを作って返す関数 (create_app() や make_app())。モジュールのインポート時にアプリのオブジェクトを作る代わりに使います。uWSGI が必要なのはオブジェクトなので、小さな wsgi.py がファクトリーを一度だけ呼びます: app = create_app()。',
    ),
    mentions: /factory/,
  },
  {
    term: text('requirements.txt', 'requirements.txt'),
    definition: text(
      'The list of packages a Python project needs, one a line, with versions (Flask>=3,<4): pip install -r requirements.txt installs them all. A pyproject.toml lists them as its [project] dependencies.',
      'Python のプロジェクトが必要とするパッケージの一覧で、1 行に 1 つ、バージョン付きで書きます (Flask>=3,<4)。pip install -r requirements.txt ですべて入ります。pyproject.toml では [project] の dependencies に並べます。',
    ),
    mentions: /requirements\.txt/,
  },
  {
    term: text('need-app', 'need-app'),
    definition: text(
      'A uWSGI option: exit at start when the app cannot be loaded. Without it uWSGI keeps running with no app and answers every request with 500, which hides the import error in a log.',
      'uWSGI のオプション。アプリを読み込めなければ起動時に終了します。これがないと uWSGI はアプリなしで動き続け、すべてのリクエストに 500 を返すので、インポートのエラーがログに埋もれます。',
    ),
    mentions: /need-app/,
  },
  {
    term: text('touch-reload (graceful reload)', 'touch-reload (穏やかな再読み込み)'),
    definition: text(
      "A uWSGI option naming a file: when the file's time changes (touch FILE), the master reloads: each worker finishes its request, the app is imported anew, and the socket stays open, so requests wait instead of failing.",
      'ファイルを指定する uWSGI のオプション。そのファイルの時刻が変わると (touch FILE)、マスターが再読み込みします。各ワーカーは処理中のリクエストを終え、アプリを新しくインポートし、その間もソケットは開いたままなので、リクエストは失敗せずに待ちます。',
    ),
    mentions: /touch-reload/,
  },
  {
    term: text('static files, alias', '静的ファイルと alias'),
    definition: text(
      "Files sent as they are (CSS, images, scripts). nginx serves them from disk: location /static/ { alias /var/www/APP/static/; } maps the URL's prefix to a directory nginx may read, so no Python runs for them.",
      'そのまま送るファイル (CSS・画像・スクリプト)。nginx がディスクから配ります。location /static/ { alias /var/www/APP/static/; } が URL の先頭部分を nginx の読めるディレクトリに対応させるので、Python は動きません。',
    ),
    mentions: /static/i,
  },
  {
    term: text('collectstatic, STATIC_ROOT (Django)', 'collectstatic と STATIC_ROOT (Django)'),
    definition: text(
      "Django keeps each app's static files beside its code (the admin's CSS too); manage.py collectstatic copies all of them into one directory, STATIC_ROOT, for the web server to serve.",
      'Django は各アプリの静的ファイルをそのコードの隣に置いています (admin の CSS も)。manage.py collectstatic はそれをすべて一つのディレクトリ STATIC_ROOT にコピーし、Web サーバーが配れるようにします。',
    ),
    mentions: /collectstatic|STATIC_ROOT/,
  },
  {
    term: text('migrate (Django)', 'migrate (Django)'),
    definition: text(
      "manage.py migrate creates and changes the database's tables to match the models, by applying each app's migrations in order; migrate --check tells whether any is left.",
      'manage.py migrate は、各アプリのマイグレーションを順に適用して、データベースの表をモデルに合わせて作り、変えます。migrate --check で残りがあるかわかります。',
    ),
    mentions: /\bmigrate\b/,
  },
  {
    term: text('environment file (EnvironmentFile=)', '環境ファイル (EnvironmentFile=)'),
    definition: text(
      'A file of KEY=value lines that become environment variables of a program: settings and secrets kept out of the code. systemd reads it for a unit (EnvironmentFile=); the app reads them with os.environ. Mode 600: only its owner reads it.',
      'KEY=value の行が並び、プログラムの環境変数になるファイル。設定や秘密をコードの外に置けます。systemd はユニットのためにこれを読み (EnvironmentFile=)、アプリは os.environ で読みます。モード 600 なら持ち主しか読めません。',
    ),
    mentions: /EnvironmentFile=|environment file/,
  },
  {
    term: text('DEBUG (Django)', 'DEBUG (Django)'),
    definition: text(
      'A Django setting for development: on, an error shows a page with the code, the settings and the request to whoever caused it. A public server runs with DEBUG = False.',
      '開発のための Django の設定。有効だと、エラーを起こした人に、コード・設定・リクエストを載せたページを見せます。公開するサーバーでは DEBUG = False で動かします。',
    ),
    mentions: /DEBUG = /,
  },
  {
    term: text('WSGI callable (module:callable)', 'WSGI の callable (module:callable)'),
    definition: text(
      "Where uWSGI finds a project's app: the module it imports and the name of the callable in it, written module:callable (mysite.wsgi:application for Django, app:app for a Flask app = Flask(…) in app.py). The wizard finds it by reading the project's files, never by running them; --app-module names it when it cannot.",
      'uWSGI がプロジェクトのアプリを見つける場所。import するモジュールと、その中の callable の名前を module:callable と書きます (Django なら mysite.wsgi:application、app.py に app = Flask(…) がある Flask なら app:app)。ウィザードはプロジェクトのファイルを読んで見つけ、実行はしません。見つからないときは --app-module で指定します。',
    ),
    mentions: /module:callable/,
  },
  {
    term: text('settings module (Django)', '設定モジュール (Django)'),
    definition: text(
      "The Python module Django reads its settings from, named by DJANGO_SETTINGS_MODULE (manage.py sets it to mysite.settings): WSGI_APPLICATION, STATIC_ROOT, ALLOWED_HOSTS and DEBUG are in it. The wizard reads the file's text; it does not import it.",
      'Django が設定を読む Python のモジュールで、DJANGO_SETTINGS_MODULE が名前を決めます (manage.py は mysite.settings にします)。WSGI_APPLICATION、STATIC_ROOT、ALLOWED_HOSTS、DEBUG はここにあります。ウィザードはファイルを文字として読むだけで、import はしません。',
    ),
    mentions: /settings module|DJANGO_SETTINGS_MODULE/i,
  },
  {
    term: text('certificate (TLS)', '証明書 (TLS)'),
    definition: text(
      "A file that binds a server name to a public key, signed by a certificate authority the browser trusts. With it, a browser can check that https://NAME/ is the server holding that key, and the connection is encrypted. Let's Encrypt's last 90 days.",
      "サーバー名と公開鍵を結び付け、ブラウザーが信頼する認証局が署名したファイル。これがあると、ブラウザーは https://NAME/ の相手がその鍵を持つサーバーだと確かめられ、通信は暗号化されます。Let's Encrypt の証明書の有効期間は 90 日です。",
    ),
    mentions: /\bcertificate\b/,
  },
  {
    term: text('certbot, ACME', 'certbot, ACME'),
    definition: text(
      "certbot is the EFF's program that gets and renews certificates; ACME is the protocol it speaks with the certificate authority (Let's Encrypt, or another ACME server named with --server). Its nginx plugin edits the site and proves the name with the http-01 challenge: a token served over port 80.",
      "certbot は証明書を取得・更新する EFF のプログラムで、ACME は certbot が認証局 (Let's Encrypt、または --server で指定した別の ACME サーバー) と話すプロトコルです。nginx プラグインはサイトを編集し、http-01 の確認 (ポート 80 で出すトークン) で名前を証明します。",
    ),
    mentions: /\bcertbot\b|\bACME\b/,
  },
  {
    term: text('redirect (301)', 'リダイレクト (301)'),
    definition: text(
      'An answer that sends the browser to another address: 301 "Moved Permanently" with a Location header. certbot --redirect makes nginx answer every plain http:// request with 301 to the same https:// address.',
      'ブラウザーを別のアドレスへ送る答え。301 "Moved Permanently" と Location ヘッダーです。certbot の --redirect で、nginx は平文の http:// のリクエストすべてに、同じ https:// のアドレスへの 301 を返します。',
    ),
    mentions: /redirect/i,
  },
];
