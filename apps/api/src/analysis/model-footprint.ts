// How much memory a model held in a model thread is charged in its thread's budget (NETPOL_ANALYSIS_CACHE_MB shared
// by NETPOL_MODEL_THREADS), estimated from what it was loaded from, before it is built (the budget decides what to
// evict). Measured (issue 13, retained heap after full collections, `model-footprint.spec.ts` keeps it honest): a
// complete model built from its content (the snapshot and the content's objects) with its analysis is 2.8 bytes per
// content byte at 10k pods and 2.5 at 50k (11.2 MiB → 31 MiB, 53.7 MiB → 135 MiB). Charged 5, about twice that: with
// the 12 of before, two 50k-pod models (a diff) were "1.3 GB" and never stayed held together in the default 1 GiB.
export const MODEL_BYTES_PER_CONTENT_BYTE = 5;
/** A model loaded from its stored model (gzip JSON, ~1/20 of the content at 10k pods: no objects), per stored byte. */
export const MODEL_BYTES_PER_STORED_MODEL_BYTE = 240;
