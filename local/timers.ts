/**
 * Node fires a `setTimeout` longer than 2^31-1 ms (24.8 days) after 1 ms. Step Functions timers
 * run for months (a task's timeout, a Wait until a recheck), so the local runtime chains long
 * delays into a series of shorter ones. Shorter delays go to Node untouched.
 */
const MAX_DELAY = 2_147_483_647;
const LONG = Symbol('doudi.longTimer');

interface LongTimer {
  [LONG]: true;
  current: ReturnType<typeof setTimeout> | undefined;
  ref(): LongTimer;
  unref(): LongTimer;
  hasRef(): boolean;
}

let installed = false;

export function installLongTimers(): void {
  if (installed) return;
  installed = true;
  const originalSet = globalThis.setTimeout;
  const originalClear = globalThis.clearTimeout;

  const patchedSet = ((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    if (typeof delay !== 'number' || delay <= MAX_DELAY) return originalSet(callback, delay, ...args);
    let referenced = true;
    const timer: LongTimer = {
      [LONG]: true,
      current: undefined,
      ref() {
        referenced = true;
        timer.current?.ref();
        return timer;
      },
      unref() {
        referenced = false;
        timer.current?.unref();
        return timer;
      },
      hasRef: () => referenced,
    };
    const due = Date.now() + delay;
    const arm = () => {
      const left = due - Date.now();
      timer.current =
        left > MAX_DELAY ? originalSet(arm, MAX_DELAY) : originalSet(callback, Math.max(0, left), ...args);
      if (!referenced) timer.current.unref();
    };
    arm();
    return timer as unknown as ReturnType<typeof setTimeout>;
  }) as typeof setTimeout;

  const patchedClear = ((handle?: unknown) => {
    if (handle && typeof handle === 'object' && LONG in handle) {
      originalClear((handle as LongTimer).current);
      return;
    }
    originalClear(handle as Parameters<typeof clearTimeout>[0]);
  }) as typeof clearTimeout;

  globalThis.setTimeout = Object.assign(patchedSet, {
    __promisify__: (originalSet as { __promisify__?: unknown }).__promisify__,
  }) as typeof setTimeout;
  globalThis.clearTimeout = patchedClear;
}
