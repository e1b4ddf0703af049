import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
for (let i = 0; i < 40; i++) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/src/server.ts'], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), MODEL_DIR: '/tmp/benchmodel', MODEL_DTYPE: 'q8' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = ''; child.stdout.on('data', (c) => (out += c)); child.stderr.on('data', (c) => (out += c));
  const t = performance.now(); const seen: string[] = [];
  for (;;) {
    try { const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }); await r.arrayBuffer(); if (seen.at(-1) !== String(r.status)) seen.push(String(r.status)); if (r.status === 200) break; }
    catch (e) { const m = String((e as any)?.cause?.code ?? (e as Error).name); if (seen.at(-1) !== m) seen.push(m); }
    if (performance.now() - t > 15000) { console.log('HANG', port, seen.join(' > '), '\n', out); break; }
    await new Promise((r) => setTimeout(r, 25));
  }
  console.log(i, port, Math.round(performance.now() - t), seen.join('>'));
  child.kill('SIGTERM'); await new Promise((r) => child.on('exit', r));
}
