/** Malformed requests to the routes households call (test/support/fuzz.ts). */
import { fuzzWriteRoutes, householdRoute } from '../support/fuzz.ts';

fuzzWriteRoutes('malformed requests to the write routes of households', householdRoute);
