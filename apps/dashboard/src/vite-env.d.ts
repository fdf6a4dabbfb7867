/// <reference types="vite/client" />

// cytoscape-fcose ships no types: a Cytoscape extension (passed to `cytoscape.use`).
declare module 'cytoscape-fcose' {
  import type { Ext } from 'cytoscape';
  const fcose: Ext;
  export default fcose;
}
