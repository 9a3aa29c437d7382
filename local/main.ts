/** `npm start`: the whole system on this machine, data kept in `.doudi/` (DOUDI_DATA_DIR overrides). */
import { resolve } from 'node:path';
import { clock, clockStartFromEnv } from './clock.ts';
import { startRuntime } from './runtime.ts';

/** `--clock=fast` runs virtual time an hour per second; `--clock=<n>` n times real time. */
const FAST = 3600;
const clockArg = process.argv.find((a) => a.startsWith('--clock='))?.slice('--clock='.length);
const speed =
  clockArg === undefined || clockArg === 'real' ? 1 : clockArg === 'fast' ? FAST : Number(clockArg);
if (!(speed >= 1)) {
  console.error(`--clock 应为 real、fast 或不小于1的倍速 (got ${clockArg})`);
  process.exit(2);
}

const dataDir =
  process.env.DOUDI_DATA_DIR === 'memory' ? null : resolve(process.env.DOUDI_DATA_DIR ?? '.doudi');
const port = Number(process.env.PORT ?? 3000);
let startAt: number | undefined;
try {
  startAt = clockStartFromEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

console.log('兜底 doudi — 本地运行环境启动中 (starting the local runtime)…');
// An OIDC issuer to sign in with beside the dev sign-in (docs/deploy.md): its address and client id.
const oidcIssuer = process.env.DOUDI_OIDC_ISSUER;
const oidcClientId = process.env.DOUDI_OIDC_CLIENT_ID;
const runtime = await startRuntime({
  ...(oidcIssuer && oidcClientId ? { oidc: { issuer: oidcIssuer, clientId: oidcClientId } } : {}),
  dataDir,
  port,
  dynamoPort: Number(process.env.DYNAMODB_PORT ?? 8000),
  queuesPort: Number(process.env.SQS_PORT ?? 4566),
  sfnPort: Number(process.env.SFN_PORT ?? 8083),
  startAt,
  log: (line) => console.log(`  ${line}`),
});
clock.setSpeed(speed);
if (speed > 1) console.log(`  clock              ×${speed} (POST /admin/clock/advance to jump)`);
console.log(`就绪 ready: ${runtime.apiUrl}/health — Ctrl+C 停止 (stop)`);

let stopping = false;
async function shutdown(reason: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: 正在停止 (stopping)…`);
  await runtime.stop();
  console.log('已停止 (stopped)');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
// npm relays SIGINT/SIGTERM to us; if it dies without relaying one (SIGKILL), we are orphaned and
// must not keep the emulators running on our own. (Not `tsx local/main.ts`: tsx's launcher
// SIGKILLs its child when the child is slow to acknowledge a signal, skipping the shutdown.)
const launcher = process.ppid;
setInterval(() => {
  if (process.ppid !== launcher) void shutdown('launcher exited');
}, 1000).unref();
