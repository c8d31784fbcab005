import { z } from 'zod';
import { ROUTES, type RouteSpec } from './routes.ts';
import { ErrorBody } from './schemas.ts';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad input; `error.field` names the field',
  401: 'Missing, expired or tampered token, or an identity-provider assertion already used',
  403: 'Not allowed for this caller',
  404: 'No such resource',
  409: 'Conflicts with the current state (slot full, already booked)',
};

function openApiPath(spec: RouteSpec): string {
  const inner = spec.path === '/' ? '' : spec.path;
  return `/api/${spec.fn}${inner.replace(/:([A-Za-z]+)/g, '{$1}')}`;
}

/** The OpenAPI parameters of one part of a request (`path`, `query`, `header`), from its zod object. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header'): unknown[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, paramSchema]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required?.includes(name) ?? false),
    schema: paramSchema,
  }));
}

/** The OpenAPI 3.1 document of the HTTP API, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(serverUrl = '/'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = z.toJSONSchema(ErrorBody, { io: 'output' });
  for (const [name, spec] of Object.entries(ROUTES) as Array<[string, RouteSpec]>) {
    const parameters = [
      ...parametersOf(spec.params, 'path'),
      ...parametersOf(spec.query, 'query'),
      ...parametersOf(spec.headers, 'header'),
    ];
    const status = String(spec.status ?? 200);
    const responses: Record<string, unknown> = { [status]: { description: 'Success' } };
    for (const [code, description] of Object.entries(STATUS_TEXT)) {
      responses[code] = { description, content: { 'application/json': { schema: errorSchema } } };
    }
    if (spec.limit) {
      responses['429'] = {
        description: `Too many requests (limits of class \`${spec.limit}\`, per network and per caller); \`error.code\` is RATE_LIMITED`,
        headers: {
          'Retry-After': {
            description: 'Seconds until the limit’s window ends',
            schema: { type: 'integer', minimum: 1 },
          },
        },
        content: { 'application/json': { schema: errorSchema } },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: name,
      summary: spec.summary,
      tags: [spec.fn],
      parameters,
      responses,
      security: spec.roles === 'public' ? [] : [{ bearer: [] }],
    };
    if (spec.roles !== 'public') operation.description = `Roles: ${spec.roles.join(', ')}.`;
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input' }) } },
      };
    }
    const path = openApiPath(spec);
    paths[path] = { ...(paths[path] ?? {}), [spec.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'e-Registration for mass vaccination',
      version: '0.1.0',
      description: 'Patients, hotline agents, vaccination centres and the ministry book and manage vaccinations.',
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
