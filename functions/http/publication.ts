/**
 * 公布社会救助确认决定 (社会救助法第四十五条): anyone may read a region's published approvals — the
 * village or community reads them on a page, other systems through the API. Masked when published
 * (`shared/domain/publication.ts`): no ID number, address, income or health fact, and no case id.
 */
import { chinaDate } from '../../shared/domain/dates.ts';
import { httpRoute } from '../../shared/http.ts';
import { publishedApprovals } from '../../shared/repositories/publication.ts';
import { publicationQuery } from '../../shared/schemas/cases.ts';

export const approvals = httpRoute({ roles: 'public', query: publicationQuery }, async ({ query }) => {
  const asOf = chinaDate();
  const entries = await publishedApprovals(query.regionCode, asOf);
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
    },
  };
});
