import { httpRoute } from '../../shared/http.ts';

export const handler = httpRoute({ roles: 'public' }, async () => ({
  statusCode: 200,
  body: { status: 'ok', service: 'doudi' },
}));
