// Guide section 1: introduction and the three names that sound alike.
import { appPaths, text } from '../src/engine/commands.js';
import { defineStep, right, wrong } from './step.js';

export const concepts = defineStep({
  id: 'concepts',
  section: 1,
  title: text('What we are building: WSGI, uWSGI and uwsgi', '作るもの: WSGI・uWSGI・uwsgi'),
  plan(ctx) {
    const { socket } = appPaths(ctx);
    const n = ctx.answers.processes;
    return {
      explain: text(
        [
          'We will serve a tiny Python web application with the uWSGI application server, and put',
          'the nginx web server in front of it to take the connections from browsers.',
          '',
          'Three names look almost the same but mean different things:',
          '  • WSGI  – a Python specification (PEP 333/3333): the agreed way for a server to call',
          '            Python application code. It is an interface, not a program.',
          '  • uWSGI – an application server (a program). It loads our code through the WSGI',
          '            interface and runs it in a master process with several workers.',
          '  • uwsgi – the compact binary wire protocol that uWSGI speaks with a web server such as',
          '            nginx. It carries requests between them; it is not a transport like TCP.',
        ].join('\n'),
        [
          'uWSGI というアプリケーションサーバーで小さな Python の Web アプリを動かし、その手前に',
          'Web サーバー nginx を置いてブラウザーからの接続を受けさせます。',
          '',
          'よく似た三つの名前は、それぞれ別のものを指します。',
          '  • WSGI  – Python の仕様 (PEP 333/3333)。サーバーが Python のアプリのコードを呼び出す',
          '            ための取り決めで、プログラムではなくインターフェースです。',
          '  • uWSGI – アプリケーションサーバー(プログラム)。WSGI の取り決めに従ってコードを読み込み、',
          '            マスタープロセスと複数のワーカーで動かします。',
          '  • uwsgi – uWSGI が nginx などの Web サーバーと話すための、簡潔なバイナリのワイヤー',
          '            プロトコル。両者の間でリクエストを運ぶ約束事で、TCP のような転送層ではありません。',
        ].join('\n'),
      ),
      diagram: text(
        [
          'browser ──HTTP──▶ nginx :80 ──uwsgi protocol──▶ unix socket',
          `                                                 ${socket}`,
          '                                                      │',
          `                         uWSGI master ──▶ ${n} worker processes`,
          '                                                      │',
          '                         application(environ, start_response)  in wsgi.py',
        ].join('\n'),
        [
          'ブラウザー ──HTTP──▶ nginx :80 ──uwsgi プロトコル──▶ unix ソケット',
          `                                                      ${socket}`,
          '                                                           │',
          `                              uWSGI マスター ──▶ ワーカー ${n} 個`,
          '                                                           │',
          '                              wsgi.py の application(environ, start_response)',
        ].join('\n'),
      ),
      // The same drawing for a narrow terminal (60 columns): the parts one under the other.
      diagramNarrow: text(
        [
          'browser',
          '  │ HTTP',
          'nginx :80',
          '  │ uwsgi protocol',
          'unix socket',
          `  ${socket}`,
          '  │',
          `uWSGI master ──▶ ${n} worker processes`,
          '  │',
          'application(environ, start_response)',
          '  in wsgi.py',
        ].join('\n'),
        [
          'ブラウザー',
          '  │ HTTP',
          'nginx :80',
          '  │ uwsgi プロトコル',
          'unix ソケット',
          `  ${socket}`,
          '  │',
          `uWSGI マスター ──▶ ワーカー ${n} 個`,
          '  │',
          'wsgi.py の',
          '  application(environ, start_response)',
        ].join('\n'),
      ),
      notes: [],
      actions: [],
      checks: [],
      probeBeforeRun: false,
    };
  },
  quiz: [
    {
      id: 'names-server',
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
      question: text('What is "uwsgi", written all in lower case?', 'すべて小文字で書く "uwsgi" とは何ですか?'),
      choices: [
        wrong(
          text('The Python specification for calling web applications', 'Web アプリを呼び出すための Python の仕様'),
          text(
            'That is WSGI (PEP 333 / 3333), with no u in front.',
            'それは u の付かない WSGI (PEP 333 / 3333) です。',
          ),
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
  ],
});
