import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb } from '../scripts/build-web.ts';
import { DoudiStack } from './doudi-stack.ts';
import { checkedApp } from './nag.ts';

// Environment-agnostic on purpose: synth needs no account, credentials or lookups.
// cdk-nag's AwsSolutions checks run on every synth; an unacknowledged finding fails it.
const app = checkedApp();
// The site is built afresh for every synth; the deployment asset copies it into cdk.out.
const webDirectory = await mkdtemp(join(tmpdir(), 'doudi-web-'));
try {
  await buildWeb(webDirectory);
  new DoudiStack(app, 'Doudi', {
    description: '兜底 doudi — tiered social assistance: applications, reviews, determinations',
    webDirectory,
  });
  app.synth();
} finally {
  await rm(webDirectory, { recursive: true, force: true });
}
