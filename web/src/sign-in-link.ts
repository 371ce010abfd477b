import { setToken } from './api';

/**
 * A `?token=` in the address (the demo's sign-in link) signs in. main.tsx imports this module first, so
 * it runs before anything renders or fetches: the token leaves the address bar and the history at once
 * (replaceState rewrites the current entry instead of adding one, so Back does not lead to it), and is
 * then kept like a token typed into the sign-in form. Nothing sends it in a URL again.
 */
const url = new URL(window.location.href);
const token = url.searchParams.get('token');
if (token) {
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  setToken(token);
}
