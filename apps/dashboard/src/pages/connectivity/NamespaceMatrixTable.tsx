import type { NamespaceCell, NamespaceMatrix } from '../../api/types.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import { HEAT_STOPS, heatAlpha } from './heatmap.js';

const heatColour = (share: number) => `color-mix(in srgb, var(--accent) ${Math.round(heatAlpha(share) * 100)}%, transparent)`;

/** The colour scale of the heatmap: share of the possible workload pairs that are allowed. */
export function HeatLegend() {
  return (
    <div className="heat-legend" aria-label="Colour scale: share of workload pairs allowed">
      <span>0%</span>
      <span className="scale" style={{ background: `linear-gradient(to right, ${HEAT_STOPS.map((stop) => heatColour(stop)).join(', ')})` }} />
      <span>100% of workload pairs allowed</span>
      <span className="matrix-none">· none</span>
    </div>
  );
}

/**
 * Rows are source namespaces, columns destinations; a cell counts the workload pairs with some allowed connection
 * out of the possible ones, shaded by that share, and links to those rows of the connectivity table.
 */
export function NamespaceMatrixTable({ id, matrix }: { id: string; matrix: NamespaceMatrix }) {
  const all = matrix.namespaces.map((namespace) => namespace.name);
  if (all.length === 0) return <p className="empty">No namespace holds workloads.</p>;
  // The server chose them, and sent only the cells between them (`busiestNamespaces`, `cells(amongBusiest:)`).
  const names = matrix.busiestNamespaces;
  const cells = new Map(matrix.cells.map((cell) => [`${cell.from}\u0000${cell.to}`, cell]));
  return (
    <div className="table-scroll">
      <HeatLegend />
      {names.length < all.length && (
        <p className="muted">
          The {names.length} namespaces with the most allowed pairs, of {all.length}; filter the connections below for the others.
        </p>
      )}
      <table className="matrix heatmap">
        <caption className="visually-hidden">
          Allowed workload pairs from each namespace (rows) to each namespace (columns)
        </caption>
        <thead>
          <tr>
            <td className="matrix-corner">
              From <span aria-hidden="true">↓</span> / to <span aria-hidden="true">→</span>
            </td>
            {names.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((from) => (
            <tr key={from}>
              <th scope="row">{from}</th>
              {names.map((to) => (
                <MatrixCell key={to} id={id} from={from} to={to} cell={cells.get(`${from}\u0000${to}`)} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** More namespaces than this make a heatmap nobody can read (and a huge table): the busiest are shown (those with the
 *  most allowed workload pairs from or to them, as the server chooses them). */
export const MAX_HEATMAP_NAMESPACES = 40;

function MatrixCell({ id, from, to, cell }: { id: string; from: string; to: string; cell: NamespaceCell | undefined }) {
  if (!cell || cell.allowedPairs === 0) {
    return (
      <td className="matrix-cell matrix-none" title={`No allowed pairs from ${from} to ${to}`}>
        <span aria-hidden="true">·</span>
        <span className="visually-hidden">none</span>
      </td>
    );
  }
  const share = cell.possiblePairs > 0 ? cell.allowedPairs / cell.possiblePairs : 1;
  const label =
    `${cell.allowedPairs} of ${cell.possiblePairs} workload pairs allowed from ${from} to ${to}` +
    (cell.allPortsPairs > 0 ? `, ${cell.allPortsPairs} on all ports` : '');
  return (
    <td className="matrix-cell heat" style={{ backgroundColor: heatColour(share) }}>
      <Link to={paths.connectivity(id, { fromNamespace: from, toNamespace: to })} title={label} aria-label={label}>
        {cell.allowedPairs}/{cell.possiblePairs}
      </Link>
      {cell.allPortsPairs > 0 && (
        <span className="matrix-all" aria-hidden="true">
          {' '}
          ({cell.allPortsPairs} all)
        </span>
      )}
    </td>
  );
}
