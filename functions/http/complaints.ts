/**
 * 举报投诉 (`shared/complaints.ts`): anyone reports online without signing in; a hotline operator (or
 * the office that received a letter or a visit) records one; the reporter reads the conclusion with
 * the code they were given; the county reads the file it must verify (each reading on the chain);
 * auditors count them by region.
 */
import { appendAudit } from '../../shared/audit.ts';
import { actor, requireJurisdiction } from '../../shared/auth.ts';
import {
  COMPLAINT_WORKING_DAYS,
  type ComplaintRecord,
  complaintForReporter,
  complaintStats,
  complaintStatusLabels,
  getComplaint,
  listComplaints,
  openComplaint,
  receiveComplaint,
} from '../../shared/complaints.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import {
  complaintBody,
  complaintChannels,
  complaintIdPath,
  complaintKinds,
  complaintStatsQuery,
  complaintStatusQuery,
  recordedComplaintBody,
} from '../../shared/schemas/casework.ts';

/** What the reporter is told: received, when it is due, and how it was concluded — no staff names. */
function receipt(c: ComplaintRecord, code?: string) {
  return {
    complaintId: c.complaintId,
    ...(code ? { code } : {}),
    kind: c.kind,
    kindLabel: complaintKinds[c.kind],
    channel: c.channel,
    channelLabel: complaintChannels[c.channel],
    receivedAt: c.receivedAt,
    dueDate: c.dueDate,
    status: c.status,
    statusLabel: complaintStatusLabels[c.status],
    ...(c.conclusion
      ? {
          conclusion: {
            substantiated: c.conclusion.substantiated,
            reasons: c.conclusion.reasons,
            concludedAt: c.conclusion.concludedAt,
          },
        }
      : {}),
    message: code
      ? `已受理，将在${COMPLAINT_WORKING_DAYS}个工作日内（${c.dueDate}前）核实处理。请保存举报投诉编号和查询码 ${code}，凭此查询处理结果；举报人信息依法保密。`
      : complaintStatusLabels[c.status],
  };
}

export const submit = httpRoute({ roles: 'public', body: complaintBody }, async ({ body }) => {
  const { complaint, code } = await receiveComplaint({ ...body, channel: 'online' }, undefined);
  return { statusCode: 201, body: receipt(complaint, code) };
});

export const record = httpRoute(
  { roles: ['townshipCaseworker', 'countyOfficer'], body: recordedComplaintBody },
  async ({ body, principal }) => {
    requireJurisdiction(principal, body.regionCode);
    const { complaint, code } = await receiveComplaint(body, actor(principal));
    return { statusCode: 201, body: receipt(complaint, code) };
  },
);

/** The reporter's view: a wrong code is answered as a complaint that does not exist. */
export const status = httpRoute(
  { roles: 'public', path: complaintIdPath, query: complaintStatusQuery },
  async ({ path, query }) => {
    const complaint = await complaintForReporter(path.complaintId, query.code);
    if (!complaint) throw new NotFoundError('举报投诉编号或查询码不正确');
    return { statusCode: 200, body: receipt(complaint) };
  },
);

/** The county's file: what was reported and by whom (if they said), each reading on the chain. */
export const file = httpRoute(
  { roles: ['countyOfficer'], path: complaintIdPath },
  async ({ path, principal }) => {
    const complaint = await getComplaint(path.complaintId);
    if (!complaint) throw new NotFoundError(`举报投诉 ${path.complaintId} 不存在`);
    requireJurisdiction(principal, complaint.regionCode);
    const at = new Date().toISOString();
    await appendAudit(complaint.chainId, {
      key: `complaint.read#${principal.subject}#${at}`,
      actor: actor(principal),
      action: 'complaint.read',
      summary: '查阅举报投诉的内容和举报人信息',
      refs: { complaintId: complaint.complaintId },
    });
    return {
      statusCode: 200,
      body: {
        ...receipt(complaint),
        taskId: complaint.taskId,
        escalations: complaint.escalations,
        ...(await openComplaint(complaint)),
      },
    };
  },
);

export const stats = httpRoute(
  { roles: ['auditor'], query: complaintStatsQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.regionCode);
    const complaints = await listComplaints(query.regionCode, query.from, query.to);
    return { statusCode: 200, body: complaintStats(complaints, query, chinaDate()) };
  },
);
