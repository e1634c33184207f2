// The quizzes (issue 7): after a lesson is read or a key step's checks pass, a few questions on
// the idea behind it. Each wrong answer says what is wrong with it, so a wrong pick teaches too.
// Ids are stable: answers are recorded by id (progress.json), for the score and the report.
import { text } from '../src/engine/commands.js';
import type { QuizChoice, QuizQuestion } from '../src/engine/quiz.js';
import type { Text } from '../src/engine/types.js';

function right(answer: Text, why: Text): QuizChoice {
  return { text: answer, correct: true, why };
}

function wrong(answer: Text, why: Text): QuizChoice {
  return { text: answer, correct: false, why };
}

export const quizzes: readonly QuizQuestion[] = [
  {
    id: 'names-server',
    step: 'concepts',
    question: text(
      'Three names sound alike. Which one is the program that loads your wsgi.py and runs it in a master and its workers?',
      '似た名前が三つあります。wsgi.py を読み込み、マスターとワーカーで動かすプログラムはどれですか?',
    ),
    choices: [
      wrong(
        text('WSGI', 'WSGI'),
        text(
          'WSGI is only an agreement written down in a PEP: how a server calls Python code. There is nothing to install or start.',
          'WSGI は PEP に書かれた取り決めにすぎません。サーバーが Python のコードをどう呼ぶかを決めたもので、インストールしたり起動したりするものではありません。',
        ),
      ),
      right(
        text('uWSGI', 'uWSGI'),
        text(
          'uWSGI (capital W S G I) is the application server. It follows the WSGI agreement to call your code, in the processes it manages.',
          'uWSGI (WSGI が大文字) がアプリケーションサーバーです。WSGI の取り決めに従って、自分が管理するプロセスの中であなたのコードを呼びます。',
        ),
      ),
      wrong(
        text('uwsgi (all lower case)', 'uwsgi (すべて小文字)'),
        text(
          'uwsgi in lower case is the binary protocol uWSGI speaks with nginx: a format for messages, not a program. (pip names the package "uwsgi", but what it installs is the uWSGI server.)',
          '小文字の uwsgi は、uWSGI が nginx と話すバイナリのプロトコル、つまりメッセージの形式で、プログラムではありません。(pip のパッケージ名は "uwsgi" ですが、入るのは uWSGI サーバーです。)',
        ),
      ),
      wrong(
        text('nginx', 'nginx'),
        text(
          "nginx never runs Python. It takes the browsers' connections and hands each request on to uWSGI.",
          'nginx は Python を実行しません。ブラウザーからの接続を受け、リクエストを uWSGI に渡すだけです。',
        ),
      ),
    ],
  },
  {
    id: 'names-protocol',
    step: 'concepts',
    question: text('What is "uwsgi", written all in lower case?', 'すべて小文字で書く "uwsgi" とは何ですか?'),
    choices: [
      wrong(
        text('The Python specification for calling web applications', 'Web アプリを呼び出すための Python の仕様'),
        text('That is WSGI (PEP 333 / 3333), with no u in front.', 'それは u の付かない WSGI (PEP 333 / 3333) です。'),
      ),
      wrong(
        text(
          'A transport protocol like TCP, which replaces it',
          'TCP のような転送プロトコルで、TCP の代わりになるもの',
        ),
        text(
          'uwsgi is a wire protocol: it says how a request is laid out in bytes. Those bytes still travel over a unix socket or a TCP connection.',
          'uwsgi はワイヤープロトコル、つまりリクエストをどんなバイト列にするかの約束です。そのバイト列は unix ソケットや TCP 接続の上を運ばれます。',
        ),
      ),
      right(
        text(
          'The compact binary protocol nginx and uWSGI talk over the socket',
          'nginx と uWSGI がソケット越しに話す、簡潔なバイナリのプロトコル',
        ),
        text(
          'nginx turns each HTTP request into a uwsgi message (uwsgi_pass), and uWSGI answers in kind. It is cheaper to read than HTTP.',
          'nginx は HTTP のリクエストを uwsgi のメッセージに変えて送り (uwsgi_pass)、uWSGI も同じ形式で答えます。HTTP より読み取りが軽い形式です。',
        ),
      ),
      wrong(
        text('The format of the configuration file', '設定ファイルの形式'),
        text(
          "The file is an ordinary ini file; its section happens to be called [uwsgi] because it holds uWSGI's options.",
          '設定ファイルはふつうの ini 形式です。uWSGI のオプションを入れるので、セクション名がたまたま [uwsgi] なだけです。',
        ),
      ),
    ],
  },
  {
    id: 'start-response',
    step: 'wsgi-spec',
    question: text(
      'What does the application pass to start_response?',
      'アプリケーションは start_response に何を渡しますか?',
    ),
    choices: [
      wrong(
        text('The body of the page', 'ページの本文'),
        text(
          'The body is not passed to start_response: the application returns it, as an iterable of pieces.',
          '本文は start_response には渡しません。アプリケーションが戻り値として、断片のイテラブルで返します。',
        ),
      ),
      wrong(
        text('environ and the path that was asked for', 'environ と、求められたパス'),
        text(
          'environ comes the other way: the server gives it to the application, which reads the path from it.',
          'environ は逆向きです。サーバーがアプリケーションに渡し、アプリケーションはそこからパスを読みます。',
        ),
      ),
      wrong(
        text('The number 200 and a dictionary of headers', '数値の 200 とヘッダーの辞書'),
        text(
          'Close, but the status is a whole status line as a string, "200 OK", and the headers are a list of (name, value) tuples, not a dict.',
          '惜しいです。ステータスは "200 OK" のような文字列のステータス行で、ヘッダーは辞書ではなく (名前, 値) のタプルのリストです。',
        ),
      ),
      right(
        text(
          'A status line such as "200 OK" and a list of (name, value) header tuples',
          '"200 OK" のようなステータス行と、(名前, 値) のヘッダーのタプルのリスト',
        ),
        text(
          "start_response('200 OK', [('Content-Type', 'text/html')]) in wsgi.py is exactly that. The body comes back as the return value.",
          "wsgi.py の start_response('200 OK', [('Content-Type', 'text/html')]) がまさにそれです。本文は戻り値で返します。",
        ),
      ),
    ],
  },
  {
    id: 'app-returns',
    step: 'wsgi-spec',
    question: text(
      'Under Python 3, what must the application return?',
      'Python 3 では、アプリケーションは何を返さなければなりませんか?',
    ),
    choices: [
      right(
        text('An iterable whose items are bytes: the pieces of the body', '要素が bytes のイテラブル (本文の断片)'),
        text(
          'The server sends each item to the client in turn. The wizard\'s wsgi.py returns [b"…"], a list holding one bytes object.',
          'サーバーは要素を順にクライアントへ送ります。ウィザードの wsgi.py は bytes を一つ入れたリスト [b"…"] を返します。',
        ),
      ),
      wrong(
        text('The status code, 200', 'ステータスコードの 200'),
        text(
          'The status goes to start_response; the return value is the body.',
          'ステータスは start_response に渡します。戻り値は本文です。',
        ),
      ),
      wrong(
        text('A list of str, as the guide wrote for Python 2', 'ガイドが Python 2 向けに書いたとおり、str のリスト'),
        text(
          'Under Python 3 a body of str is refused by uWSGI ("Unhandled object from iterator") and the page comes out empty: the body must be bytes.',
          'Python 3 では str の本文を uWSGI が受け付けず ("Unhandled object from iterator")、ページは空になります。本文は bytes でなければなりません。',
        ),
      ),
      wrong(
        text('Nothing: printing the page is enough', '何も返さない。ページを print すればよい'),
        text(
          "What the application prints goes to uWSGI's log, not to the browser. Only what it returns becomes the page.",
          'アプリケーションが print したものは uWSGI のログに出るだけで、ブラウザーには届きません。ページになるのは戻り値だけです。',
        ),
      ),
    ],
  },
  {
    id: 'why-unix-socket',
    step: 'ini',
    question: text(
      'Why does the ini make uWSGI listen on a unix socket file instead of a network port?',
      'ini では、なぜ uWSGI にネットワークのポートではなく unix ソケットのファイルで待ち受けさせるのですか?',
    ),
    choices: [
      wrong(
        text('So that browsers can connect to it directly', 'ブラウザーが直接つながれるようにするため'),
        text(
          'The opposite: a browser cannot reach a socket file at all. Browsers talk HTTP to nginx; only programs on this machine can open the socket.',
          '逆です。ブラウザーはソケットのファイルにまったく届きません。ブラウザーは nginx と HTTP で話し、ソケットを開けるのはこのマシンのプログラムだけです。',
        ),
      ),
      right(
        text(
          'nginx is on the same machine: a socket file is quicker than TCP and cannot be reached from outside',
          'nginx は同じマシンにいるので、ソケットのファイルは TCP より速く、外からは届かない',
        ),
        text(
          "Nothing outside the machine can connect to uWSGI past nginx, and who may connect is decided by the file's owner, group and mode.",
          'マシンの外から nginx を飛ばして uWSGI につながることはできず、誰がつながれるかはファイルの所有者・グループ・モードで決まります。',
        ),
      ),
      wrong(
        text('The WSGI specification requires a socket', 'WSGI の仕様がソケットを求めているから'),
        text(
          'WSGI says nothing about sockets or ports: it only describes how the server calls the Python application.',
          'WSGI はソケットやポートについて何も決めていません。サーバーが Python のアプリケーションをどう呼ぶかだけを定めています。',
        ),
      ),
      wrong(
        text('uWSGI cannot listen on a network port', 'uWSGI はネットワークのポートで待ち受けられないから'),
        text(
          'It can: the test run served the page on port 8080 with --protocol=http. The socket is a choice for running behind nginx.',
          'できます。試運転では --protocol=http でポート 8080 からページを返しました。ソケットは nginx の後ろで動かすための選択です。',
        ),
      ),
    ],
  },
  {
    id: 'chmod-socket',
    step: 'ini',
    question: text('What does chmod-socket = 664 do?', 'chmod-socket = 664 は何をしますか?'),
    choices: [
      wrong(
        text('Makes the ini file readable by everyone', 'ini ファイルを誰でも読めるようにする'),
        text(
          'It is about the socket file uWSGI creates when it starts, not about the ini.',
          'これは ini ではなく、uWSGI が起動時に作るソケットのファイルについての設定です。',
        ),
      ),
      wrong(
        text(
          'Lets every account on the machine write to the socket',
          'マシンのすべてのアカウントがソケットに書き込めるようにする',
        ),
        text(
          'That would be 666. With 664 the last digit is 4: other accounts may only read, and reading is not enough to send a request.',
          'それは 666 です。664 の最後の 4 は「その他は読み取りだけ」で、読めるだけではリクエストを送れません。',
        ),
      ),
      wrong(
        text('Makes uWSGI listen on port 664', 'uWSGI をポート 664 で待ち受けさせる'),
        text(
          '664 is a permission mode in octal, not a port number.',
          '664 は 8 進数の許可モードで、ポート番号ではありません。',
        ),
      ),
      right(
        text(
          "The socket's owner and its group may read and write it; others may only read",
          'ソケットの所有者とグループは読み書きでき、その他は読むだけ',
        ),
        text(
          "uWSGI runs with the web server's group (www-data), so the socket belongs to that group, and nginx, a member of it, may write its requests to it.",
          'uWSGI は Web サーバーのグループ (www-data) で動くのでソケットはそのグループのものになり、その一員の nginx がリクエストを書き込めます。',
        ),
      ),
    ],
  },
  {
    id: 'die-on-term',
    step: 'ini',
    question: text('What does die-on-term = true change?', 'die-on-term = true で何が変わりますか?'),
    choices: [
      wrong(
        text('The socket file is removed when uWSGI stops', 'uWSGI が止まるときにソケットのファイルを消す'),
        text('That is vacuum = true, the line above it.', 'それはその上の行の vacuum = true です。'),
      ),
      right(
        text(
          'On SIGTERM uWSGI exits, instead of reloading itself',
          'SIGTERM を受けると、uWSGI は自分を再読み込みせずに終了する',
        ),
        text(
          'By default uWSGI 2.0 treats SIGTERM as "reload". A service manager sends SIGTERM to stop a service, so without this line stopping it would hang or restart it.',
          'uWSGI 2.0 は既定では SIGTERM を「再読み込み」と受け取ります。サービス管理の仕組みは止めるときに SIGTERM を送るので、この行がないと停止が固まったり再起動になったりします。',
        ),
      ),
      wrong(
        text('A worker that takes too long over a request is killed', 'リクエストに時間をかけすぎたワーカーを止める'),
        text(
          'That is another option (harakiri). die-on-term is about the whole uWSGI and one signal.',
          'それは別のオプション (harakiri) です。die-on-term は uWSGI 全体と、一つのシグナルについての設定です。',
        ),
      ),
      wrong(
        text('uWSGI stops when the person who started it logs out', '起動した人がログアウトすると uWSGI が止まる'),
        text(
          'No: a service is meant to outlive any login. die-on-term only changes what SIGTERM does.',
          'いいえ。サービスはログインに関係なく動き続けるものです。die-on-term が変えるのは SIGTERM の意味だけです。',
        ),
      ),
    ],
  },
  {
    id: 'service-group',
    step: 'service',
    question: text(
      "Why does uWSGI run as the app's account but with the group www-data?",
      'uWSGI をアプリのアカウントで、しかもグループ www-data で動かすのはなぜですか?',
    ),
    choices: [
      wrong(
        text('So that uWSGI can listen on port 80', 'uWSGI がポート 80 で待ち受けられるように'),
        text(
          'uWSGI does not listen on port 80 at all: nginx does. uWSGI listens on its socket.',
          'uWSGI はポート 80 では待ち受けません。それは nginx です。uWSGI が待ち受けるのはソケットです。',
        ),
      ),
      wrong(
        text('A group is needed for uWSGI to run as root', 'uWSGI を root で動かすにはグループが必要だから'),
        text(
          "It does not run as root: the account is the app's own (the guide's demo), so a flaw in the app cannot take over the machine.",
          'root では動かしません。アカウントはアプリ自身のもの (ガイドの demo) なので、アプリに欠陥があってもマシン全体は乗っ取られません。',
        ),
      ),
      right(
        text(
          "The socket it creates then belongs to www-data, nginx's group, which chmod-socket = 664 lets write",
          '作るソケットが nginx のグループ www-data のものになり、chmod-socket = 664 でそのグループが書き込めるから',
        ),
        text(
          "The account owns the app's files, the group opens the socket to nginx. With the account's own group instead, nginx answers 502 (Permission denied).",
          'アカウントはアプリのファイルを持ち、グループはソケットを nginx に開きます。アカウント自身のグループのままだと、nginx は 502 (Permission denied) を返します。',
        ),
      ),
    ],
  },
  {
    id: 'why-nginx',
    step: 'nginx',
    question: text(
      'Why put nginx in front of uWSGI instead of letting browsers talk to uWSGI?',
      'ブラウザーに uWSGI と直接話させず、前に nginx を置くのはなぜですか?',
    ),
    choices: [
      wrong(
        text('uWSGI cannot run Python without nginx', 'nginx がないと uWSGI は Python を実行できないから'),
        text(
          'It can: in the test run uWSGI served the page alone, speaking HTTP on port 8080.',
          'できます。試運転では uWSGI が単独で、ポート 8080 で HTTP を話してページを返しました。',
        ),
      ),
      right(
        text(
          "nginx is built to face the clients: many slow connections, static files, TLS; uWSGI's few workers are kept for the app",
          'nginx はクライアントの相手が得意 (多数の遅い接続、静的ファイル、TLS)。uWSGI の少数のワーカーはアプリのために空けておける',
        ),
        text(
          'nginx holds thousands of connections cheaply and passes only complete requests over the uwsgi protocol, so each of the few workers is busy only while the app works.',
          'nginx は多数の接続を軽く抱え、完全に届いたリクエストだけを uwsgi プロトコルで渡すので、少数のワーカーはアプリが働く間だけふさがります。',
        ),
      ),
      wrong(
        text('nginx runs the Python code faster', 'nginx のほうが Python のコードを速く実行するから'),
        text(
          'nginx never runs the Python code; every request still reaches a uWSGI worker.',
          'nginx は Python のコードを実行しません。リクエストは結局 uWSGI のワーカーに届きます。',
        ),
      ),
      wrong(
        text('Browsers can only speak the uwsgi protocol', 'ブラウザーは uwsgi プロトコルしか話せないから'),
        text(
          'Browsers speak HTTP. nginx translates: HTTP on the outside, uwsgi on the socket.',
          'ブラウザーが話すのは HTTP です。nginx が橋渡しをして、外側は HTTP、ソケット側は uwsgi で話します。',
        ),
      ),
    ],
  },
  {
    id: 'bad-gateway',
    step: 'nginx',
    question: text(
      'The browser shows "502 Bad Gateway". What is nginx telling you?',
      'ブラウザーに "502 Bad Gateway" と出ました。nginx は何を伝えていますか?',
    ),
    choices: [
      wrong(
        text('wsgi.py raised an exception', 'wsgi.py で例外が起きた'),
        text(
          'Then uWSGI would have answered, with 500 Internal Server Error. 502 means no usable answer came back at all.',
          'それなら uWSGI が 500 Internal Server Error で答えます。502 は、使える答えがまったく返ってこなかったという意味です。',
        ),
      ),
      wrong(
        text('The nginx configuration has a syntax error', 'nginx の設定に文法の誤りがある'),
        text(
          'With a syntax error nginx -t fails and nginx refuses to load the configuration; it does not answer 502.',
          '文法の誤りがあれば nginx -t が失敗し、nginx はその設定を読み込みません。502 を返すわけではありません。',
        ),
      ),
      right(
        text(
          'nginx itself works, but it got no answer from uWSGI behind it',
          'nginx 自体は動いているが、後ろの uWSGI から答えをもらえなかった',
        ),
        text(
          'The socket is missing, uWSGI is not running, or nginx may not open the socket. /var/log/nginx/error.log names which (e.g. "13: Permission denied").',
          'ソケットがない、uWSGI が動いていない、または nginx がソケットを開けない、のいずれかです。/var/log/nginx/error.log にどれか書いてあります (例: "13: Permission denied")。',
        ),
      ),
      wrong(
        text('The server_name does not match the address typed', 'server_name が入力したアドレスと合っていない'),
        text(
          'Then another site (often the default "Welcome to nginx!" page) answers instead, with 200, not 502.',
          'その場合は別のサイト (よくあるのは既定の "Welcome to nginx!") が 200 で答え、502 にはなりません。',
        ),
      ),
    ],
  },
];
