// Public API of the engine. Keep it small: callers use these functions and plain-data types only.
export * from './manifest/types.js';
