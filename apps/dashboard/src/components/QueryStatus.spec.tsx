// The three states of a query as the pages render them; a listing the server does not make (LISTING_TOO_LARGE) is
// a status, not an error alert.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GraphQLRequestError } from '../api/client.js';
import { QueryStatus } from './QueryStatus.js';

const render = (state: Parameters<typeof QueryStatus<string>>[0]['state']) =>
  renderToStaticMarkup(
    <QueryStatus state={state} loadingLabel="Loading…">
      {(data) => <p>{data}</p>}
    </QueryStatus>,
  );

describe('QueryStatus', () => {
  it('renders loading, data, and an error as an alert with its code', () => {
    expect(render({ status: 'loading' })).toBe('<p role="status" class="status">Loading…</p>');
    expect(render({ status: 'success', data: 'rows' })).toBe('<p>rows</p>');
    const failed = render({ status: 'error', error: new GraphQLRequestError('the database is unreachable', 'SERVICE_UNAVAILABLE') });
    expect(failed).toContain('role="alert"');
    expect(failed).toContain('Could not load the data.');
    expect(failed).toContain('Error code: SERVICE_UNAVAILABLE');
  });

  it('renders a listing past the server bound as a status saying what still answers', () => {
    const message = "this snapshot's connectivity lists 102020100 workload pairs, more than the 10000000 the server lists";
    const html = render({ status: 'error', error: new GraphQLRequestError(message, 'LISTING_TOO_LARGE') });
    expect(html).toContain('role="status"');
    expect(html).not.toContain('role="alert"');
    expect(html).toContain('Too many workload pairs to list.');
    expect(html).toContain('102020100 workload pairs');
    expect(html).toContain('Reachability, who can reach a workload, exposure and findings answer');
  });
});
