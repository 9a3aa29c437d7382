import { DoudiStack } from './doudi-stack.ts';
import { checkedApp } from './nag.ts';

// Environment-agnostic on purpose: synth needs no account, credentials or lookups.
// cdk-nag's AwsSolutions checks run on every synth; an unacknowledged finding fails it.
const app = checkedApp();
new DoudiStack(app, 'Doudi', {
  description: '兜底 doudi — tiered social assistance: applications, reviews, determinations',
});
app.synth();
