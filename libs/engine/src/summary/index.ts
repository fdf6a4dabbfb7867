export {
  connectivitySummary,
  listingRowBound,
  listingRowCount,
  formatConnectivitySummaryText,
  formatConnectivitySummaryJson,
  type ConnectivitySummary,
  type ConnectivitySummaryOptions,
} from './connectivity-summary.js';
