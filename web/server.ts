// A small static server for the built page. With isolation on, every response carries the headers that
// make the page cross-origin isolated (so SharedArrayBuffer and threads are allowed); off, it serves the
// same files as any plain static server would, which the page answers with its one-thread fallback.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.png': 'image/png',
  '.woff': 'font/woff',
};

/** How to serve. */
export interface ServeOptions {
  /** The folder served (the build's output). */
  dir: string;
  /** Port on localhost; 0 takes any free one. */
  port: number;
  /** Send Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy, so the page is cross-origin isolated. */
  isolated: boolean;
}

/** A running server: its address and how to stop it. */
export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 until closed. */
export async function serveWeb(options: ServeOptions): Promise<WebServer> {
  const root = normalize(options.dir + sep);
  const server = createServer((request, response) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const type = CONTENT_TYPES[extname(file)];
    if (!file.startsWith(root) || type === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'no-cache' };
        if (options.isolated) {
          headers['Cross-Origin-Opener-Policy'] = 'same-origin';
          headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
          headers['Cross-Origin-Resource-Policy'] = 'same-origin';
        }
        response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
