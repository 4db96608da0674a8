import { IconBerth } from '../components/Icons';

/** Browser mode opened without the access token: nothing can work, say how to fix it. */
export function NoToken() {
  return (
    <main className="fullpage">
      <div className="fullpage-card">
        <IconBerth className="fullpage-mark" />
        <h1>Berth needs its access token</h1>
        <p>
          Open Berth with the URL printed by <code>npm run web</code> (it carries the access token).
        </p>
        <p className="muted">
          The URL looks like <code>http://127.0.0.1:PORT/#token=…</code>. The token changes at every launch and stays in this tab only, so
          a bookmark or a new tab needs the printed URL again.
        </p>
      </div>
    </main>
  );
}
