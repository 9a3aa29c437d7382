/**
 * vitest setup file: every test file runs on the local runtime's clock (`local/clock.ts`), started
 * at one fixed instant rather than at the hour the suite happens to run. A due date counted in
 * working days from "today" then never depends on whether the run crosses midnight in Shanghai
 * (16:00 UTC), a weekend or a holiday, and a test that moves the clock lands on the same day every
 * time. Tests read the time through `Date` as the code does; `eventually` waits on real time.
 */
import { installClock } from '../../local/clock.ts';

/** A Wednesday, 10:00 in Beijing: the 社会救助法 in force, 2026's holiday arrangement known. */
export const TEST_START = Date.parse('2026-12-02T10:00:00+08:00');

installClock().startAt(TEST_START);
