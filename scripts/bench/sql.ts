// The inbox's SQL as text and parameters, replayed exactly: as postgres.js text, or as a
// drizzle SQL object for db.execute() and withTenant.
import { sql, type SQL } from 'drizzle-orm';

export interface CapturedSql {
  text: string;
  params: unknown[];
}

/** `$1`, `$2` … become drizzle parameters again (drizzle numbers them in order of appearance). */
export function sqlOf({ text, params }: CapturedSql): SQL {
  return sql.join(
    text.split(/(\$\d+)/).map((piece) => {
      const m = /^\$(\d+)$/.exec(piece);
      return m ? sql`${params[Number(m[1]) - 1]}` : sql.raw(piece);
    }),
  );
}
