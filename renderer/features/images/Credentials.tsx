import { useEffect, useRef, useState } from 'react';
import type { RegistryAuth } from '../../../app/contract/images';
import { Button, Field } from '../../components';

/**
 * Asks for a registry login once, after the engine said it needs one. The values live in this
 * form only: they are passed with the one call and never stored or logged by the UI.
 */
export function CredentialsForm({ registry, verb, onSubmit, onCancel }: { registry: string; verb: string; onSubmit(auth: RegistryAuth): void; onCancel(): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [tried, setTried] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  useEffect(() => userRef.current?.focus(), []);
  const submit = () => {
    setTried(true);
    if (!username || !password) return;
    onSubmit({ username, password, serverAddress: registry });
  };
  return (
    <form
      className="form img-creds"
      aria-label={`Sign in to ${registry}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="form-hint">
        Sign in to <span className="mono">{registry}</span> for this {verb.toLowerCase()} only. Berth passes the credentials to the engine once and does not store
        them; to keep them, run <code>docker login {registry}</code>.
      </p>
      <div className="form-row">
        <Field label="Username" error={tried && !username ? 'Enter the user name.' : null}>
          {(p) => <input {...p} ref={userRef} className="input" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />}
        </Field>
        <Field label="Password or token" error={tried && !password ? 'Enter the password or an access token.' : null}>
          {(p) => <input {...p} className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
      </div>
      <div className="img-creds-actions">
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Not now
        </Button>
        <Button size="sm" variant="primary" type="submit">
          {verb} with these credentials
        </Button>
      </div>
    </form>
  );
}
