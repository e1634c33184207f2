// Guide section 1: introduction and the three names that sound alike.
import { appPaths, text } from '../src/engine/commands.js';
import type { StepDefinition } from '../src/engine/types.js';

export const concepts: StepDefinition = {
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
      notes: [],
      actions: [],
      checks: [],
      probeBeforeRun: false,
    };
  },
};
