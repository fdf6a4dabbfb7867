// A REST download that carries the API token: a plain `<a download>` would be sent without the Authorization header
// (401 when authentication is on), so the click fetches the file with the token and saves it from a blob. Without
// JavaScript, or on a middle click, the href still names the file's URL.
import { useState, type MouseEvent, type ReactNode } from 'react';
import { authorizationHeader } from '../api/auth.js';

export function DownloadLink({ href, fileName, children }: { href: string; fileName: string; children: ReactNode }) {
  const [error, setError] = useState<string | undefined>();
  const onClick = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    setError(undefined);
    try {
      const response = await fetch(href, { headers: authorizationHeader() });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = fileName;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (cause) {
      setError(`download failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  };
  return (
    <>
      <a href={href} download={fileName} title={fileName} onClick={(event) => void onClick(event)}>
        {children}
      </a>
      {error && (
        <span role="alert" className="error">
          {' '}
          {error}
        </span>
      )}
    </>
  );
}
