/** Malformed requests to the routes caseworkers, departments and administrators call (test/support/fuzz.ts). */
import { expect, it } from 'vitest';
import { fuzzWriteRoutes, householdRoute, writeRoutes } from '../support/fuzz.ts';

fuzzWriteRoutes('malformed requests to the write routes of staff', (route) => !householdRoute(route));

it('splits the write routes between households and staff, neither share empty', () => {
  const households = writeRoutes.filter(householdRoute);
  expect(households.length).toBeGreaterThan(0);
  expect(households.length).toBeLessThan(writeRoutes.length);
});
