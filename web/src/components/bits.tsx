import type { ReactNode } from 'react';

/** Small presentational pieces used across pages. */

export function Severity({ value }: { value: string }) {
  return <span className={`sev sev-${value.toLowerCase()}`}>{value}</span>;
}

export function Status({ value }: { value: string }) {
  return <span className={`status status-${value}`}>{value}</span>;
}

/** A panel; `label` names it for assistive technology (and tests) when the title is not plain text. */
export function Card({ title, children, actions, className, label }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string; label?: string }) {
  return (
    <section className={`card ${className ?? ''}`} aria-label={label ?? (typeof title === 'string' ? title : undefined)}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Failure({ error }: { error: string | undefined }) {
  return error ? <p className="failure" role="alert">{error}</p> : null;
}
