// "Did you mean …" in CLI messages: the engine's matching (closestNames) and wording (didYouMean), shared with the API.
export { closestNames, didYouMean } from '@netpol-atlas/engine';
