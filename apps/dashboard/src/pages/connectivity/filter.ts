// The connectivity table's filter in the URL: `?fromNamespace=a&toNamespace=b&workload=ns/name`.
import type { QueryParams } from '../../routes.js';

export interface ConnectivityFilterValue {
  fromNamespace: string;
  toNamespace: string;
  workload: string;
}

export function parseFilter(search: string): ConnectivityFilterValue {
  const params = new URLSearchParams(search);
  const read = (key: string) => params.get(key)?.trim() ?? '';
  return { fromNamespace: read('fromNamespace'), toNamespace: read('toNamespace'), workload: read('workload') };
}

export function filterToQuery(filter: ConnectivityFilterValue): QueryParams {
  return { fromNamespace: filter.fromNamespace, toNamespace: filter.toNamespace, workload: filter.workload };
}

/** The API's `ConnectivityFilter`: only the fields set (an empty filter is no filter). */
export function toApiFilter(filter: ConnectivityFilterValue): Record<string, string> | null {
  const entries = Object.entries(filter).filter(([, value]) => value !== '');
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}
