/**
 * The local runtime's clock. Real time by default; in fast mode virtual time runs `speed` times
 * faster and can jump forward (`advance`), so a recheck or a gradual exit months away happens in
 * seconds. It is the process's clock: `Date` and long timers follow it, so Wait states, task
 * timeouts, deadlines computed by the handlers and the sweeper all see the same time.
 *
 * Timers shorter than `BUSINESS_TIMER_MS` stay on real time: they are I/O retries and polling, not
 * business waits, and must not be starved or rushed. Longer timers are business waits; they are
 * scheduled against virtual time, and Node's 24.8-day limit on one timer is handled by re-arming.
 */
const MAX_DELAY = 2_147_483_647;
const BUSINESS_TIMER_MS = 5_000;
const VIRTUAL = Symbol('doudi.virtualTimer');

const RealDate = Date;
const realNow = () => RealDate.now();
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

interface VirtualTimer {
  [VIRTUAL]: true;
  dueAt: number;
  fire: () => void;
  handle: ReturnType<typeof setTimeout> | undefined;
  referenced: boolean;
  ref(): VirtualTimer;
  unref(): VirtualTimer;
  hasRef(): boolean;
  refresh(): VirtualTimer;
  [Symbol.toPrimitive](): number;
}

let nextId = 1;

export class Clock {
  #base = realNow();
  #virtualAtBase = realNow();
  #speed = 1;
  readonly #timers = new Set<VirtualTimer>();

  now(): number {
    return this.#virtualAtBase + (realNow() - this.#base) * this.#speed;
  }

  get speed(): number {
    return this.#speed;
  }

  setSpeed(speed: number): void {
    if (!(speed >= 1 && speed <= 10_000_000)) throw new RangeError('speed must be between 1 and 10,000,000');
    this.#rebase();
    this.#speed = speed;
    this.#rearmAll();
    this.onChange?.();
  }

  /** Jumps forward; every business timer now due fires, and every `onJump` listener is called. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError('can only advance forward');
    this.#rebase();
    this.#virtualAtBase += ms;
    this.#rearmAll();
    this.onChange?.();
    for (const listener of this.#jumpListeners) listener();
    return this.now();
  }

  readonly #jumpListeners = new Set<() => void>();

  /**
   * Calls `listener` after every jump forward; returns the unsubscribe. Scheduled functions use it
   * to look again at once: time that passed in a jump is time in which a rate schedule would have
   * fired, and a timer re-armed by a run that was in flight during the jump would land a whole
   * period past it.
   */
  onJump(listener: () => void): () => void {
    this.#jumpListeners.add(listener);
    return () => this.#jumpListeners.delete(listener);
  }

  /**
   * Moves virtual time on to `virtualNow` if it is ahead (never back): a restarted runtime takes up
   * the time its data was written at, so that recorded deadlines and dates keep their meaning.
   */
  resumeAt(virtualNow: number): void {
    const ahead = virtualNow - this.now();
    if (ahead > 0) this.advance(ahead);
  }

  /**
   * Sets virtual time to `instant`, back as well as forward. For a runtime that must not depend on
   * the day it runs (a test computing due dates, a reproducible demo): it is called once, before
   * anything is recorded, since going back under recorded data would make its dates lie.
   */
  startAt(instant: number): void {
    if (!Number.isFinite(instant)) throw new RangeError('startAt needs an instant');
    this.#base = realNow();
    this.#virtualAtBase = instant;
    this.#rearmAll();
    this.onChange?.();
  }

  /** Called after every jump or change of speed, so that the runtime can persist virtual time. */
  onChange: (() => void) | undefined;

  /** Business timers still pending, for tests and the admin endpoint. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  setTimer(fire: () => void, delay: number): VirtualTimer {
    const timer: VirtualTimer = {
      [VIRTUAL]: true,
      dueAt: this.now() + delay,
      fire,
      handle: undefined,
      referenced: true,
      ref: () => {
        timer.referenced = true;
        timer.handle?.ref();
        return timer;
      },
      unref: () => {
        timer.referenced = false;
        timer.handle?.unref();
        return timer;
      },
      hasRef: () => timer.referenced,
      refresh: () => timer,
      [Symbol.toPrimitive]: (() => {
        const id = nextId++;
        return () => id;
      })(),
    };
    this.#timers.add(timer);
    this.#arm(timer);
    return timer;
  }

  clearTimer(timer: VirtualTimer): void {
    realClearTimeout(timer.handle);
    this.#timers.delete(timer);
  }

  #rebase(): void {
    const now = this.now();
    this.#base = realNow();
    this.#virtualAtBase = now;
  }

  #arm(timer: VirtualTimer): void {
    realClearTimeout(timer.handle);
    const realDelay = Math.max(0, (timer.dueAt - this.now()) / this.#speed);
    if (realDelay > MAX_DELAY) {
      timer.handle = realSetTimeout(() => this.#arm(timer), MAX_DELAY);
    } else {
      timer.handle = realSetTimeout(() => {
        if (!this.#timers.has(timer)) return;
        // Real timers may fire a little early after a rebase; never fire before virtual due time.
        if (this.now() + 1 < timer.dueAt) return this.#arm(timer);
        this.#timers.delete(timer);
        timer.fire();
      }, realDelay);
    }
    if (!timer.referenced) timer.handle.unref();
  }

  #rearmAll(): void {
    for (const timer of this.#timers) this.#arm(timer);
  }
}

export const clock = new Clock();

/**
 * Where `DOUDI_CLOCK_START` (an ISO 8601 instant) says virtual time starts, for `npm start`, the
 * demo and the benches; undefined when unset, so that they run on today's date.
 */
export function clockStartFromEnv(value = process.env.DOUDI_CLOCK_START): number | undefined {
  if (value === undefined || value === '') return undefined;
  const instant = Date.parse(value);
  if (Number.isNaN(instant))
    throw new RangeError(`DOUDI_CLOCK_START 应为 ISO 8601 时刻，如 2026-12-02T10:00:00+08:00 (got ${value})`);
  return instant;
}
let installed = false;

/** Makes `Date` and long `setTimeout`s follow `clock` in this process. Idempotent. */
export function installClock(): Clock {
  if (installed) return clock;
  installed = true;

  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.now());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return Math.floor(clock.now());
    }
    // Dates made before the clock was installed (or by Node internals) are still Dates.
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof RealDate;
    }
  }
  // Called as a function, Date returns a string of the current time.
  const DateShim = new Proxy(VirtualDate, {
    apply: () => new VirtualDate().toString(),
  });
  globalThis.Date = DateShim as DateConstructor;

  const patchedSet = ((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    if (typeof delay !== 'number' || delay < BUSINESS_TIMER_MS)
      return realSetTimeout(callback, delay, ...args);
    return clock.setTimer(() => callback(...args), delay) as unknown as ReturnType<typeof setTimeout>;
  }) as typeof setTimeout;
  const patchedClear = ((handle?: unknown) => {
    if (handle && typeof handle === 'object' && VIRTUAL in handle)
      return clock.clearTimer(handle as VirtualTimer);
    realClearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  }) as typeof clearTimeout;
  globalThis.setTimeout = Object.assign(patchedSet, {
    __promisify__: (realSetTimeout as { __promisify__?: unknown }).__promisify__,
  }) as typeof setTimeout;
  globalThis.clearTimeout = patchedClear;
  return clock;
}
