// The server's complaint about one field, shown right next to it.
import { errorFor } from './settingsApi.js';

export function FieldError({ errors, field }: { errors: Record<string, string> | null; field: string }) {
  const text = errorFor(errors, field);
  return text ? <span className="error field-error" role="alert" data-testid={`field-error-${field}`}>{text}</span> : null;
}
