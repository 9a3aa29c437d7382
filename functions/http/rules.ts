/**
 * The rules as a service: a means-test preview (试算) that creates nothing, working-day deadlines,
 * and the administrators' loading of parameters and holiday arrangements as data.
 */
import { z } from 'zod';
import { requireJurisdiction, roles } from '../../shared/auth.ts';
import {
  arrangementFromRequest,
  CalendarYearMismatchError,
  UnknownCalendarYearError,
} from '../../shared/calendar/index.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../shared/errors.ts';
import { fieldErrors, httpRoute } from '../../shared/http.ts';
import {
  ParametersNotFoundError,
  ParameterVersionConflictError,
  parameterVersionFromRequest,
} from '../../shared/parameters/index.ts';
import {
  calendar,
  parametersFor,
  putCalendarArrangement,
  putParameterVersion,
} from '../../shared/repositories/parameters.ts';
import { meansTest as runMeansTest } from '../../shared/rules/index.ts';
import { householdDeclaration, isoDate, regionCode, requestedTiers } from '../../shared/schemas/household.ts';

export const meansTestRequest = householdDeclaration.extend({
  asOf: isoDate.optional(),
  requestedTier: z.enum(requestedTiers, { error: '申请类别不正确' }).optional(),
  relapseWatch: z.boolean().default(false),
});

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

export const deadline = httpRoute(
  {
    roles,
    query: z.object({
      from: isoDate,
      workingDays: z.coerce
        .number({ error: 'workingDays 必须是数字' })
        .int({ error: 'workingDays 必须是整数' })
        .min(0)
        .max(366),
    }),
  },
  async ({ query }) => {
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
  },
);

/** zod errors raised by the domain's own request parsers become 400s naming the field. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof z.ZodError) throw new ValidationError(fieldErrors(error));
    throw error;
  }
}

/** An administrator loads the parameters of a region they administer (a province covers its counties). */
export const putParameters = httpRoute(
  { roles: ['admin'], path: z.object({ regionCode }), body: z.unknown() },
  async ({ path, body, principal }) => {
    requireJurisdiction(principal, path.regionCode);
    const version = parsed(() => parameterVersionFromRequest(path.regionCode, body));
    try {
      const versionId = await putParameterVersion(version, `${principal.name}（${principal.subject}）`);
      return {
        statusCode: 201,
        body: {
          versionId,
          regionCode: version.regionCode,
          residence: version.residence,
          effectiveFrom: version.effectiveFrom,
        },
      };
    } catch (error) {
      if (error instanceof ParameterVersionConflictError) throw new ConflictError(error.message);
      throw error;
    }
  },
);

/** The State Council's arrangement is national: any administrator may load it, and who did is recorded. */
export const putCalendar = httpRoute(
  {
    roles: ['admin'],
    path: z.object({ year: z.coerce.number({ error: '年份必须是数字' }).int().min(1949).max(2199) }),
    body: z.unknown(),
  },
  async ({ path, body, principal }) => {
    let arrangement: ReturnType<typeof arrangementFromRequest>;
    try {
      arrangement = parsed(() => arrangementFromRequest(path.year, body));
    } catch (error) {
      if (error instanceof CalendarYearMismatchError)
        throw new ValidationError([{ field: 'year', message: error.message }]);
      throw error;
    }
    await putCalendarArrangement(arrangement, `${principal.name}（${principal.subject}）`);
    return {
      statusCode: 201,
      body: {
        year: arrangement.year,
        holidays: arrangement.holidays.length,
        adjustedWorkdays: arrangement.adjustedWorkdays.length,
      },
    };
  },
);
