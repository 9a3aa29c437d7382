import { requireJurisdiction } from '../../shared/auth.ts';
import { httpRoute } from '../../shared/http.ts';
import {
  declareCommitteeRelatives,
  declareRelatives,
  listCommitteeRelatives,
  listRelatives,
} from '../../shared/repositories/relatives.ts';
import { committeeRelativesBody, relativesBody } from '../../shared/schemas/casework.ts';

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

/**
 * 村（居）民委员会成员的近亲属备案 (57号 第十一条): committee members have no sign-in of their own; the
 * township that serves them records their declarations. A household with such a relative is
 * registered separately and checked at home by the county before it decides.
 */
export const declareCommittee = httpRoute(
  { roles: ['townshipCaseworker'], idempotent: 'declareCommitteeRelatives', body: committeeRelativesBody },
  async ({ body, principal }) => {
    requireJurisdiction(principal, body.regionCode);
    await declareCommitteeRelatives(body.regionCode, body, body.relatives, principal);
    return {
      statusCode: 201,
      body: { regionCode: body.regionCode, declarations: await listCommitteeRelatives(body.regionCode) },
    };
  },
);
