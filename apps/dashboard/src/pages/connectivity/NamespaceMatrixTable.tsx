import type { NamespaceCell, NamespaceMatrix } from '../../api/types.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';

/**
 * Rows are source namespaces, columns destinations; a cell counts the workload pairs with some allowed connection
 * out of the possible ones, shaded by that share, and links to those rows of the connectivity table.
 */
export function NamespaceMatrixTable({ id, matrix }: { id: string; matrix: NamespaceMatrix }) {
  const names = matrix.namespaces.map((namespace) => namespace.name);
  if (names.length === 0) return <p className="empty">No namespace holds workloads.</p>;
  const cells = new Map(matrix.cells.map((cell) => [`${cell.from}\u0000${cell.to}`, cell]));
  return (
    <div className="table-scroll">
      <table className="matrix">
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
    <td className="matrix-cell" style={{ backgroundColor: `rgba(10, 88, 202, ${(0.06 + 0.3 * share).toFixed(2)})` }}>
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
