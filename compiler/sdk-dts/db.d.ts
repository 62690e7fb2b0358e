import type { QueryOptions, QueryResult } from "./types.ts";
/** Raw SQL: the type of {@link db}. */
export interface Db {
    /** Runs `sql`; rows are objects keyed by column name with typed values. */
    query(sql: string, options?: QueryOptions): Promise<QueryResult>;
}
/** Raw SQL. */
export declare const db: Db;
