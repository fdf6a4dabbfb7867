export { parsePeerRef, peerSuggestions, type PeerRef } from './peer-ref.js';
export { closestNames, editDistance } from './suggest.js';
