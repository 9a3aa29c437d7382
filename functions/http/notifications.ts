import { requireJurisdiction } from '../../shared/auth.ts';
import { httpRoute } from '../../shared/http.ts';
import { listNotifications } from '../../shared/repositories/notifications.ts';
import { notificationsQuery } from '../../shared/schemas/casework.ts';

export const list = httpRoute(
  { roles: ['townshipCaseworker', 'countyOfficer'], query: notificationsQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.township);
    const notifications = await listNotifications(query.township, query.since);
    return { statusCode: 200, body: { township: query.township, notifications } };
  },
);
