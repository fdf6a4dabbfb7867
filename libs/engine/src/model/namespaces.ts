// Namespace facts every part of the model shares.

/** Objects without `metadata.namespace` live here (as kubectl applies them). */
export const DEFAULT_NAMESPACE = 'default';

/** The API server sets this label on every namespace to the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
