// First: a ?token= sign-in link leaves the address bar and the history before anything renders or fetches.
import './sign-in-link';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
