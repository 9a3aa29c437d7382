/**
 * 公布社会救助确认决定 (社会救助法第四十五条): anyone may read a region's published approvals — the
 * village or community reads them on a page, other systems through the API. Masked when published
 * (`shared/domain/publication.ts`): no ID number, address, income or health fact, and no case id —
 * but for a 特困 end notice still taking objections, which needs one to be objected to.
 */
import { chinaDate } from '../../shared/domain/dates.ts';
import type { PublishedEndNotice } from '../../shared/domain/publication.ts';
import { httpRoute } from '../../shared/http.ts';
import { publishedApprovals, publishedEndNotices } from '../../shared/repositories/publication.ts';
import { publicationQuery } from '../../shared/schemas/cases.ts';

export const approvals = httpRoute({ roles: 'public', query: publicationQuery }, async ({ query }) => {
  const asOf = chinaDate();
  const [entries, ends] = await Promise.all([
    publishedApprovals(query.regionCode, asOf),
    publishedEndNotices(query.regionCode, asOf),
  ]);
  return {
    statusCode: 200,
    body: {
      regionCode: query.regionCode,
      asOf,
      basis: '《中华人民共和国社会救助法》第四十五条；民发〔2021〕57号《最低生活保障审核确认办法》第二十四条',
      entries: entries.map((e) => ({
        applicantName: e.applicantName,
        householdSize: e.householdSize,
        tier: e.tier,
        tierLabel: e.tierLabel,
        monthlyAmount: e.monthlyAmount,
        decidedOn: e.decidedOn,
        publishedUntil: e.publishedUntil,
      })),
      endNotices: ends.map((e) => ({
        applicantName: e.applicantName,
        householdSize: e.householdSize,
        stage: e.stage,
        statement: endStatement(e),
        startsOn: e.startsOn,
        endsOn: e.endsOn,
        objectionPath: e.stage === 'proposed' ? `/cases/${e.caseId}/end-objection` : null,
      })),
    },
  };
});

/** What the notice says, in the words the village reads. */
function endStatement(e: PublishedEndNotice): string {
  if (e.stage === 'proposed')
    return `经定期核查，拟终止${e.applicantName}的特困人员救助供养。对此有异议的，请于${e.endsOn}前向乡镇（街道）或县级民政部门提出。`;
  return e.decision === 'terminate'
    ? `对拟终止${e.applicantName}特困人员救助供养的异议，经县级民政部门调查核实，决定终止救助供养。`
    : `对拟终止${e.applicantName}特困人员救助供养的异议，经县级民政部门调查核实，决定继续给予救助供养。`;
}
