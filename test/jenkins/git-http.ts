/**
 * @module git-http
 * A git remote over HTTP on 127.0.0.1 that demands Basic authentication: `git http-backend`
 * behind a small Node server. Lets the tests check that the pipeline's scripts push with the
 * credentials Jenkins binds, through GIT_ASKPASS, and never put them in a URL.
 *
 * @example
 * const remote = await serveGitOverHttp(dir, { username: 'ci', password: 'token' });
 * git(workspace, env, 'remote', 'set-url', 'origin', `${remote.url}/origin.git`);
 * await remote.close();
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpRemote {
  /** Base URL; a bare repository `<root>/x.git` is at `${url}/x.git`. */
  url: string;
  /** Authorization headers received, in order (to see that credentials came, and which). */
  authorizations: string[];
  close(): Promise<void>;
}

export async function serveGitOverHttp(root: string, credentials: { username: string; password: string }): Promise<GitHttpRemote> {
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const authorizations: string[] = [];
  const server = createServer((request, response) => {
    const authorization = request.headers.authorization;
    if (authorization) authorizations.push(authorization);
    if (authorization !== expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    runBackend(root, credentials.username, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** CGI: request to `git http-backend`'s environment and stdin, its headers and body back. */
function runBackend(root: string, user: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://git');
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      REMOTE_USER: user,
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
    },
  });
  request.pipe(backend.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const headers = head.subarray(0, end).toString('latin1').split('\r\n');
    let status = 200;
    for (const header of headers) {
      const colon = header.indexOf(':');
      const name = header.slice(0, colon).trim();
      const value = header.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    headersSent = true;
    response.write(head.subarray(end + 4));
  });
  backend.on('close', () => response.end());
}
