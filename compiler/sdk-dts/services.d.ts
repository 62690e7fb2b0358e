import type { Service } from "./types.ts";
/** Service discovery: the type of {@link services}. */
export interface Services {
    /** Every service (in one namespace if given), by name. */
    list(options?: {
        namespace?: string;
    }): Promise<Service[]>;
    /** One service; throws `NotFound` when the colony does not know it. */
    get(name: string): Promise<Service>;
}
/** Service discovery. */
export declare const services: Services;
