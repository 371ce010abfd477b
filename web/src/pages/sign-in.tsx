import { useState } from 'react';

export function SignIn({ onToken, error }: { onToken: (token: string) => void; error?: string }) {
  const [token, setToken] = useState('');
  return (
    <main className="signin">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <h1>Medic</h1>
        <p>Sign in with an API token. Create one with <code>npx medic token create --role responder</code>.</p>
        <label>
          Token
          <input name="token" type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} autoFocus />
        </label>
        {error && <p className="failure" role="alert">{error}</p>}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
