// The engine version: what reports name as their engine (`netpol report` and the server's stored reports) and
// what the server's analysis cache keys on. One number for both, owned here. Bump it whenever the engine's
// outputs change; the server's append-only table (apps/api/src/analysis/engine-versions.ts) must then gain an
// entry for it with the new golden digest: its test fails until the table's last entry is this version.
export const ENGINE_VERSION = 14;
