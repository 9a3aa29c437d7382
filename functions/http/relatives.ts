/**
 * 近亲属备案: a caseworker or officer declares their close relatives; tasks about those households
 * are then never offered to them, and a decision names who stood aside. A declaration is kept as
 * made: adding is allowed, withdrawing is not (that would reopen the door it closes).
 */
import { z } from 'zod';
import { httpRoute } from '../../shared/http.ts';
import { declareRelatives, listRelatives, relations } from '../../shared/repositories/relatives.ts';
import { idNumber } from '../../shared/schemas/household.ts';

const staff = ['townshipCaseworker', 'countyOfficer'] as const;

export const relativesBody = z.object({
  relatives: z
    .array(
      z.object({
        name: z.string({ error: '请填写近亲属姓名' }).trim().min(1, { error: '请填写近亲属姓名' }).max(50),
        idNumber,
        relation: z.enum(relations, { error: `关系应为 ${relations.join('、')} 之一` }),
      }),
    )
    .min(1, { error: '请至少填写一名近亲属' })
    .max(50, { error: '一次最多备案50名近亲属' }),
});

const relativesView = z
  .object({
    relatives: z.array(
      z.object({
        name: z.string(),
        idNumberMasked: z.string().describe('身份证号（脱敏）'),
        relation: z.enum(relations),
        declaredAt: z.string(),
      }),
    ),
  })
  .meta({ title: '近亲属备案' });
export const relativesResponse = relativesView;

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
