/**
 * Raw read-only SQL against the colony's DuckDB, under its guardrails: one
 * SELECT/WITH statement, an automatic LIMIT and one-hour window on telemetry
 * tables unless `noAutoLimits` (the row cap and the 32 MiB answer budget
 * stay), a timeout. A refused query throws
 * `QueryRejected` with the colony's reason.
 *
 * @module
 */
import { requireString } from "./args.ts";
import { list, type Message, num, sqlValue, str } from "./protojson.ts";
import { transport } from "./transport.ts";
import type { QueryOptions, QueryResult, Row } from "./types.ts";

/** Raw SQL: the type of {@link db}. */
export interface Db {
  /** Runs `sql`; rows are objects keyed by column name with typed values. */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
}

/** Raw SQL. */
export const db: Db = {
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    requireString("db.query", "sql", sql, " (one SELECT statement)");
    const resp = (await transport.unary("ExecuteQuery", {
      sql,
      maxRows: options.maxRows ?? 0,
      noAutoLimits: options.noAutoLimits ?? false,
      timeRangeMs: options.timeRangeMs ?? 0,
    })) as Message;
    const columns = list(resp.columns).map((c) => ({ name: str(c.name), type: str(c.type) }));
    const rows = list(resp.rows).map((r) => {
      const values = list(r.values);
      const row: Row = {};
      columns.forEach((c, i) => {
        row[c.name] = sqlValue(values[i] ?? {});
      });
      return row;
    });
    return {
      columns,
      rows,
      rowCount: num(resp.rowCount),
      truncated: resp.truncated === true,
      truncatedBy: truncatedBy(resp.truncatedBy),
      executedSql: str(resp.executedSql),
    };
  },
};

function truncatedBy(value: unknown): "" | "rows" | "bytes" {
  return value === "rows" || value === "bytes" ? value : "";
}
