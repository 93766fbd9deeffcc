// Row ids are UUIDs. Anything else in a URL or a form names no row: checked before it reaches
// PostgreSQL, which would refuse it as an error rather than find nothing.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
