// Small builders for the OpenAPI document's JSON Schemas (openapi.ts, openapi-admin.ts).
export const str = { type: 'string' } as const;
export const nullable = (t: string, extra: Record<string, unknown> = {}) => ({ type: [t, 'null'], ...extra });
export const dateTime = { type: 'string', format: 'date-time' } as const;
/** A closed object: every property required unless `required` says otherwise. */
export const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** A JSON response with the `{"error": {"code", "message"}}` body. */
export const errorAnswer = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ref('Error') } },
});
/** A JSON response whose body is the schema `name`. */
export const jsonAnswer = (name: string, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(name) } },
});

/** The {question} path parameter of each question's routes. */
export const questionParam = {
  name: 'question',
  in: 'path',
  required: true,
  description: 'A question id (GET /api/v1/questions lists them)',
  schema: str,
} as const;
