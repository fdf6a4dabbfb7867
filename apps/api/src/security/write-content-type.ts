// Writes accept only the media types their endpoint reads. text/plain, forms and multipart are what a cross-site
// page can send without a CORS preflight; refusing them (and answering no preflight: CORS is never enabled) means
// a browser on another origin cannot post a snapshot even to a server running with NETPOL_AUTH=off.
export const UPLOAD_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'application/json', 'application/gzip', 'application/x-gzip'];

/** The media type without parameters, lowercased; '' when absent. */
export const mediaType = (header: string | undefined) => (header ?? '').split(';')[0].trim().toLowerCase();

/** A message when an upload's Content-Type is not accepted, else undefined. */
export function uploadContentTypeProblem(header: string | undefined): string | undefined {
  const type = mediaType(header);
  if (UPLOAD_MEDIA_TYPES.includes(type)) return undefined;
  return `Content-Type ${type ? JSON.stringify(type) : '(none)'} is not accepted for uploads; send one of ${UPLOAD_MEDIA_TYPES.join(', ')}`;
}
