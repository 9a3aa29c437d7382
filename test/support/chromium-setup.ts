import { chromiumPath } from '../e2e/browser.ts';

/** vitest global setup: unpack the packaged Chromium once, before any worker needs it. */
export default async function setup(): Promise<void> {
  await chromiumPath();
}
