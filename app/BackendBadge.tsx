// Shows which ONNX Runtime backend the engine runs on (or "detecting…" until known).
export interface BackendBadgeProps {
  backend: string | null;
  reason?: string;
}

export function BackendBadge({ backend, reason }: BackendBadgeProps) {
  return (
    <span className="backend-badge" data-testid="backend-badge" title={reason}>
      {backend ?? 'detecting…'}
      {reason ? <small data-testid="backend-fallback-reason"> (fallback: {reason})</small> : null}
    </span>
  );
}
