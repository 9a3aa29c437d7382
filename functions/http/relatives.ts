import { httpRoute } from '../../shared/http.ts';
import { declareRelatives, listRelatives } from '../../shared/repositories/relatives.ts';
import { relativesBody } from '../../shared/schemas/casework.ts';

const staff = ['townshipCaseworker', 'countyOfficer'] as const;

export const declare = httpRoute(
  { roles: staff, idempotent: 'declareRelatives', body: relativesBody },
  async ({ body, principal }) => {
    await declareRelatives(principal, body.relatives);
    return { statusCode: 201, body: { relatives: await listRelatives(principal.subject) } };
  },
);

export const list = httpRoute({ roles: staff }, async ({ principal }) => ({
  statusCode: 200,
  body: { relatives: await listRelatives(principal.subject) },
}));
