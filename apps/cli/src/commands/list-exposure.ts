// `netpol list --exposure`: the plain connlist, then np-guard's exposure section (FORMAT.md section 10).
import {
  ConnectivityListing,
  exposure,
  exposureReportChunks,
  type ConnlistStats,
  type ExposureFormat,
} from '@netpol-atlas/engine';
import type { ListReportContext } from './list.js';

export function* exposureChunks(context: ListReportContext): Generator<string> {
  const format = context.options.output as ExposureFormat;
  const result = exposure(context.analysis);
  const stats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
  yield* exposureReportChunks(new ConnectivityListing(context.analysis), result, format, stats);
  for (const caveat of result.caveats ?? []) context.warn(caveat.message);
  if (stats.ipv6RowsOmitted > 0) {
    context.warn(
      `${stats.ipv6RowsOmitted} line(s) with IPv6 ranges are left out of ${format} output, as np-guard does; use -o csv or md to see them`,
    );
  }
}
