export { parsePeerRef, peerSuggestions, type PeerRef } from './peer-ref.js';
export { closestNames, didYouMean, editDistance } from './suggest.js';
