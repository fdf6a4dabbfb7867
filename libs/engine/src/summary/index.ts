export {
  connectivitySummary,
  formatConnectivitySummaryText,
  formatConnectivitySummaryJson,
  type ConnectivitySummary,
  type ConnectivitySummaryOptions,
} from './connectivity-summary.js';
