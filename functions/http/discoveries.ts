/**
 * 主动发现 (社会救助法第三十九条, `shared/discoveries.ts`): township caseworkers and county officers
 * record a household found that may need help — what a village or residents' committee reported, or
 * what a visit found — which opens the township's task to contact it and help it apply. They read a
 * discovery whole (where, what was seen, whom to call); auditors follow them by region, without those.
 */
import { actor, requireJurisdiction } from '../../shared/auth.ts';
import {
  type DiscoveryRecord,
  discoveryStatusLabels,
  getDiscovery,
  listDiscoveries,
  openDiscovery,
  recordDiscovery,
} from '../../shared/discoveries.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import {
  discoveriesQuery,
  discoveryBody,
  discoveryIdPath,
  discoverySources,
  discoveryUrgencies,
} from '../../shared/schemas/casework.ts';

/** What anyone entitled sees of a discovery: never the sealed facts. */
function discoveryView(d: DiscoveryRecord) {
  const { sealed: _sealed, recordedBy, outcome, ...rest } = d;
  return {
    ...rest,
    sourceLabel: discoverySources[d.source],
    urgencyLabel: discoveryUrgencies[d.urgency],
    statusLabel: discoveryStatusLabels[d.status],
    recordedBy: { name: recordedBy.name, role: recordedBy.role },
    ...(outcome
      ? {
          outcome: {
            applicationId: outcome.applicationId,
            reasons: outcome.reasons,
            closedAt: outcome.closedAt,
            closedBy: { name: outcome.closedBy.name, role: outcome.closedBy.role },
          },
        }
      : {}),
  };
}

export const create = httpRoute(
  { roles: ['townshipCaseworker', 'countyOfficer'], body: discoveryBody },
  async ({ body, principal }) => {
    requireJurisdiction(principal, body.regionCode);
    const { discovery } = await recordDiscovery(body, actor(principal));
    return { statusCode: 201, body: { ...discoveryView(discovery), detail: await openDiscovery(discovery) } };
  },
);

export const list = httpRoute(
  { roles: ['townshipCaseworker', 'countyOfficer', 'auditor'], query: discoveriesQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const all = (await listDiscoveries(query.regionCode)).filter(
      (d) => !query.status || d.status === query.status,
    );
    return {
      statusCode: 200,
      body: { regionCode: query.regionCode, count: all.length, discoveries: all.map(discoveryView) },
    };
  },
);

/** One discovery; caseworkers and officers of its region read what was seen, where and whom to call. */
export const get = httpRoute(
  { roles: ['townshipCaseworker', 'countyOfficer', 'auditor'], path: discoveryIdPath },
  async ({ path, principal }) => {
    const discovery = await getDiscovery(path.discoveryId);
    if (!discovery) throw new NotFoundError(`发现记录 ${path.discoveryId} 不存在`);
    requireJurisdiction(principal, discovery.regionCode);
    return {
      statusCode: 200,
      body: {
        ...discoveryView(discovery),
        ...(principal.role === 'auditor' ? {} : { detail: await openDiscovery(discovery) }),
      },
    };
  },
);
