/**
 * The rules as a service: a means-test preview (试算) that creates nothing, working-day deadlines,
 * and the administrators' loading of parameters and holiday arrangements as data.
 */

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { appendAudit, CALENDAR_CHAIN, canonical } from '../../shared/audit.ts';
import { actor, ForbiddenError, requireJurisdiction, roles } from '../../shared/auth.ts';
import {
  arrangementDays,
  arrangementFromRequest,
  bundledArrangementDays,
  CalendarYearMismatchError,
  needsConfirmation,
  removedBy,
  UnknownCalendarYearError,
} from '../../shared/calendar/index.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { yuanText } from '../../shared/domain/money.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../shared/errors.ts';
import { fieldErrors, httpRoute } from '../../shared/http.ts';
import {
  ParametersNotFoundError,
  ParameterVersionConflictError,
  parameterVersionFromRequest,
  versionId,
} from '../../shared/parameters/index.ts';
import {
  calendar,
  confirmCalendar,
  confirmParameterVersion,
  loadedArrangement,
  parametersFor,
  pendingCalendar,
  pendingParameterVersion,
  proposeCalendar,
  proposeParameterVersion,
  putCalendarArrangement,
  putParameterVersion,
  versionEffects,
} from '../../shared/repositories/parameters.ts';
import { meansTest as runMeansTest } from '../../shared/rules/index.ts';
import {
  calendarYearPath,
  deadlineQuery,
  meansTestRequest,
  parametersPath,
} from '../../shared/schemas/rules.ts';

/** Domain errors that mean "cannot answer for this input", as 422 with their Chinese message. */
function unprocessable(error: unknown): never {
  if (error instanceof ParametersNotFoundError)
    throw new UnprocessableError('ParametersNotFound', error.message);
  if (error instanceof UnknownCalendarYearError)
    throw new UnprocessableError('UnknownCalendarYear', error.message);
  throw error;
}

/** A 试算 creates nothing and reads no household's record: anyone signed in may run one. */
export const preview = httpRoute({ roles, body: meansTestRequest }, async ({ body }) => {
  const asOf = body.asOf ?? chinaDate();
  const { asOf: _a, requestedTier, relapseWatch, ...household } = body;
  const parameters = await parametersFor(household.regionCode, household.residence, asOf).catch(
    unprocessable,
  );
  return {
    statusCode: 200,
    body: runMeansTest(household, { asOf, requestedTier, relapseWatch, parameters }),
  };
});

export const deadline = httpRoute({ roles, query: deadlineQuery }, async ({ query }) => {
  try {
    return {
      statusCode: 200,
      body: {
        from: query.from,
        workingDays: query.workingDays,
        deadline: (await calendar()).deadline(query.from, query.workingDays),
      },
    };
  } catch (error) {
    return unprocessable(error);
  }
});

/** zod errors raised by the domain's own request parsers become 400s naming the field. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof z.ZodError) throw new ValidationError(fieldErrors(error));
    throw error;
  }
}

const residenceLabels = { urban: '城市', rural: '农村' } as const;

/**
 * An administrator loads the parameters of a region they administer (a province covers its counties).
 * A version that would leave a region under it without some parameter is refused, naming the regions
 * and the parameters: it replaces its level whole, and every case there would fail its means test.
 * A version that puts the small-amount limit of 先行救助 above the province's ceiling waits, answered
 * 202, until a second administrator of the province (or national) loads the same version: one county
 * administrator alone cannot let every caseworker there pay more without review.
 */
export const putParameters = httpRoute(
  { roles: ['admin'], path: parametersPath, body: z.unknown() },
  async ({ path, body, principal }) => {
    requireJurisdiction(principal, path.regionCode);
    const version = parsed(() => parameterVersionFromRequest(path.regionCode, body));
    const { unresolvable, aboveCeiling } = await versionEffects(version);
    if (unresolvable.length) {
      const missing = [...new Set(unresolvable.flatMap((u) => u.missing))];
      const where = unresolvable.map(
        (u) =>
          `${u.regionCode}（${residenceLabels[u.residence]}，自 ${u.asOf} 起）缺少 ${u.missing.join('、')}`,
      );
      throw new ValidationError(
        missing.map((name) => ({
          field: `values.${name}`,
          message: `此版本替换 ${version.regionCode} 的整级参数，${name} 在下列行政区划将无生效值：${unresolvable
            .filter((u) => u.missing.includes(name))
            .map((u) => u.regionCode)
            .join('、')}；请在此版本中设置（可沿用原值）`,
        })),
        `参数版本不完整，载入后以下行政区划将无法确定救助参数，未载入：${where.join('；')}`,
      );
    }
    const loadedBy = `${principal.name}（${principal.subject}）`;
    const created = (id: string) => ({
      statusCode: 201,
      body: {
        versionId: id,
        regionCode: version.regionCode,
        residence: version.residence,
        effectiveFrom: version.effectiveFrom,
      },
    });
    if (!aboveCeiling.length) {
      try {
        return created(await putParameterVersion(version, loadedBy));
      } catch (error) {
        if (error instanceof ParameterVersionConflictError) throw new ConflictError(error.message);
        throw error;
      }
    }

    const id = versionId(version);
    const fingerprint = createHash('sha256').update(canonical(version)).digest('hex');
    const province = `${version.regionCode.slice(0, 2)}0000`;
    const pending = await pendingParameterVersion(id);
    if (pending && pending.fingerprint === fingerprint && pending.proposedBy.subject !== principal.subject) {
      if (!principal.regionCodes.some((code) => code === NATIONAL || code === province))
        throw new ForbiddenError(
          `先行救助上限高于省级封顶的参数版本，须由省级（${province}）或全国管理员复核确认`,
        );
      if (!(await confirmParameterVersion(pending, loadedBy)))
        throw new ConflictError(`参数版本 ${id} 的待复核内容已被更改、已确认或已存在，请重新查看后再载入`);
      return created(id);
    }
    await proposeParameterVersion({
      version,
      fingerprint,
      proposedBy: { subject: principal.subject, name: principal.name },
      proposedAt: new Date().toISOString(),
      aboveCeiling,
    });
    const where = aboveCeiling.map(
      (a) =>
        `${a.regionCode}（${residenceLabels[a.residence]}，自 ${a.asOf} 起）先行救助上限${yuanText(a.emergencySmallAmount)}，高于省级封顶${yuanText(a.emergencySmallAmountCeiling)}`,
    );
    return {
      statusCode: 202,
      body: {
        versionId: id,
        status: 'pendingConfirmation' as const,
        message: `此版本将使${where.join('；')}，须由另一名省级（${province}）或全国管理员以相同内容再次载入确认后生效`,
        proposedBy: principal.name,
        aboveCeiling,
      },
    };
  },
);

const NATIONAL = '000000';

/**
 * The State Council's arrangement is national, and it moves every deadline in the country: only a
 * national administrator (000000) loads it. A load that takes away adjusted workdays or most of the
 * holidays of a year in force (loaded, or carried by `chinese-days`) waits, answered 202, until
 * another national administrator loads the same arrangement. Every load, proposal and confirmation
 * is appended, with who did it, to the calendar's audit chain.
 */
export const putCalendar = httpRoute(
  {
    roles: ['admin'],
    path: calendarYearPath,
    body: z.unknown(),
  },
  async ({ path, body, principal }) => {
    if (!principal.regionCodes.includes(NATIONAL))
      throw new ForbiddenError('节假日安排由国务院统一公布，只有全国（000000）管理员可以载入');
    let arrangement: ReturnType<typeof arrangementFromRequest>;
    try {
      arrangement = parsed(() => arrangementFromRequest(path.year, body));
    } catch (error) {
      if (error instanceof CalendarYearMismatchError)
        throw new ValidationError([{ field: 'year', message: error.message }]);
      throw error;
    }
    const who = actor(principal);
    const created = {
      statusCode: 201,
      body: {
        year: arrangement.year,
        holidays: arrangement.holidays.length,
        adjustedWorkdays: arrangement.adjustedWorkdays.length,
      },
    };
    const stored = await loadedArrangement(arrangement.year);
    const inForce = stored ? arrangementDays(stored) : bundledArrangementDays(arrangement.year);
    const removal = inForce && removedBy(inForce, arrangementDays(arrangement));
    const now = new Date().toISOString();
    if (!removal || !needsConfirmation(removal)) {
      await putCalendarArrangement(arrangement, `${principal.name}（${principal.subject}）`);
      await appendAudit(CALENDAR_CHAIN, {
        key: `calendar.loaded#${arrangement.year}#${now}#${principal.subject}`,
        actor: who,
        action: 'calendar.loaded',
        summary: `载入${arrangement.year}年节假日安排（${arrangement.source}）`,
        refs: { year: String(arrangement.year) },
      });
      return created;
    }

    const fingerprint = createHash('sha256').update(canonical(arrangement)).digest('hex');
    const pending = await pendingCalendar(arrangement.year);
    if (pending && pending.fingerprint === fingerprint && pending.proposedBy.subject !== principal.subject) {
      if (!(await confirmCalendar(pending, `${principal.name}（${principal.subject}）`)))
        throw new ConflictError(
          `${arrangement.year}年待复核的节假日安排已被更改或已确认，请重新查看后再载入`,
        );
      await appendAudit(CALENDAR_CHAIN, {
        key: `calendar.confirmed#${arrangement.year}#${fingerprint}#${pending.proposedAt}`,
        actor: who,
        action: 'calendar.confirmed',
        summary: `复核确认并载入${arrangement.year}年节假日安排（${pending.proposedBy.name}提出）`,
        refs: { year: String(arrangement.year), fingerprint, proposedBy: pending.proposedBy.subject },
      });
      return created;
    }

    await proposeCalendar({
      year: arrangement.year,
      fingerprint,
      arrangement,
      proposedBy: { subject: principal.subject, name: principal.name },
      proposedAt: now,
      removal,
    });
    const removes = [
      removal.adjustedWorkdays.length ? `取消调休上班日${removal.adjustedWorkdays.join('、')}` : '',
      removal.holidays.length
        ? `取消${removal.holidays.length}个放假日（现行${removal.holidaysInForce}个）`
        : '',
    ].filter(Boolean);
    await appendAudit(CALENDAR_CHAIN, {
      key: `calendar.proposed#${arrangement.year}#${fingerprint}#${now}`,
      actor: who,
      action: 'calendar.proposed',
      summary: `提出${arrangement.year}年节假日安排，${removes.join('，')}，待另一名全国管理员复核`,
      refs: { year: String(arrangement.year), fingerprint },
    });
    return {
      statusCode: 202,
      body: {
        year: arrangement.year,
        status: 'pendingConfirmation' as const,
        message: `此次载入将${removes.join('，')}，须由另一名全国（000000）管理员以相同内容再次载入确认后生效`,
        proposedBy: principal.name,
        removes: removal,
      },
    };
  },
);
