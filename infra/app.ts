import { App } from 'aws-cdk-lib';
import { DoudiStack } from './doudi-stack.ts';

// Environment-agnostic on purpose: synth needs no account, credentials or lookups.
const app = new App();
new DoudiStack(app, 'Doudi', {
  description: '兜底 doudi — tiered social assistance: applications, reviews, determinations',
});
app.synth();
