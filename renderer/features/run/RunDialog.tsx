/**
 * Upgrade, downgrade or stamp from the app: preview the exact plan, confirm (typing the database's
 * name on production), run with a progress bar, a streaming log and Cancel, then show the outcome
 * with the database's message and `file:line` when a step failed.
 */
import { useEffect, useRef, useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { PlanPreview, RunKind, RunResult } from '../../../shared/contract/plan-schemas.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { newRunId } from '../../lib/engine-client/engine-client.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { EnvTag } from '../../ui/EnvTag.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { PlanSummary } from './PlanSummary.tsx';
import { Rehearsal } from './Rehearsal.tsx';
import { RunOutcome } from './RunOutcome.tsx';
import { applyRunEvent, INITIAL_PROGRESS, type RunProgress } from './run-progress.ts';

const TITLES: Record<RunKind, string> = { upgrade: 'Upgrade', downgrade: 'Downgrade', stamp: 'Stamp' };

export interface RunDialogProps {
  readonly kind: RunKind;
  readonly target: string;
  readonly connection: ConnectionInfo;
  readonly onClose: (ran: boolean) => void;
  readonly onResolve: (revision: string) => void;
}

export function RunDialog({ kind, target, connection, onClose, onResolve }: RunDialogProps) {
  const client = useEngine();
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [typed, setTyped] = useState('');
  const [runId, setRunId] = useState<string | null>(null);
  const [progress, setProgress] = useState<RunProgress>(INITIAL_PROGRESS);
  const [result, setResult] = useState<RunResult | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [cancelling, setCancelling] = useState(false);
  const logRef = useRef<HTMLPreElement>(null);

  useEffect(() => {
    client.call('plan.preview', { connectionId: connection.id, kind, target }).then(setPlan, setError);
  }, [client, connection.id, kind, target]);

  const running = runId !== null && result === null && error === null;
  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Date.now() - started), 200);
    return () => clearInterval(timer);
  }, [running]);
  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [progress.log.length]);

  const start = async (): Promise<void> => {
    const id = newRunId();
    setRunId(id);
    await client.ready();
    const off = client.onEvent((e) => {
      if (e.kind === 'run.event' && e.runId === id) setProgress((p) => applyRunEvent(p, e.event));
    });
    try {
      const confirmation = plan?.confirmWith === null ? {} : { confirmation: typed };
      setResult(
        await client.call('migrations.run', {
          connectionId: connection.id,
          kind,
          target,
          runId: id,
          ...confirmation,
        }),
      );
    } catch (runError) {
      setError(runError);
    } finally {
      off();
    }
  };
  const cancel = (): void => {
    if (runId === null) return;
    setCancelling(true);
    void client.call('run.cancel', { runId });
  };

  const confirmOk = plan !== null && (plan.confirmWith === null || typed === plan.confirmWith);
  const title = `${TITLES[kind]} ${connection.name} to ${target.slice(0, 12)}`;
  const actions = running ? (
    <button type="button" onClick={cancel} disabled={cancelling}>
      {cancelling ? 'Cancelling…' : 'Cancel run'}
    </button>
  ) : runId === null && plan !== null && plan.steps.length > 0 && error === null ? (
    <>
      <button type="button" onClick={() => onClose(false)}>
        Cancel
      </button>
      <button type="button" className="primary" disabled={!confirmOk} onClick={() => void start()}>
        {TITLES[kind]}
      </button>
    </>
  ) : (
    <button type="button" onClick={() => onClose(runId !== null)}>
      Close
    </button>
  );

  return (
    <Dialog title={title} onClose={() => onClose(runId !== null)} actions={actions} wide busy={running}>
      <p>
        {connection.name} <EnvTag tag={connection.tag} /> <code>{connection.url}</code>
      </p>
      {plan === null && error === null && <p aria-busy="true">Computing the plan…</p>}
      {plan !== null && runId === null && <PlanSummary plan={plan} />}
      {plan !== null && runId === null && plan.steps.length > 0 && kind !== 'stamp' && (
        <Rehearsal connection={connection} kind={kind} target={target} />
      )}
      {plan?.confirmWith != null && runId === null && (
        <label className="confirm-name">
          Type <strong>{plan.confirmWith}</strong> to confirm this production run
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      )}
      {runId !== null && (
        <div className="run-progress">
          <progress
            aria-label="Run progress"
            max={Math.max(1, progress.steps)}
            value={
              result === null
                ? Math.max(0, progress.step - 1)
                : result.report.steps.filter((s) => s.status === 'applied').length
            }
          />
          <p aria-live="polite">
            {progress.waitingForLock ??
              `Step ${progress.step} of ${progress.steps}` +
                (progress.statements > 0
                  ? ` · statement ${progress.statement} of ${progress.statements}`
                  : '') +
                ` · ${((result?.report.durationMs ?? elapsed) / 1000).toFixed(1)} s`}
          </p>
          <pre className="run-log" ref={logRef} aria-label="Run log">
            {progress.log.join('\n')}
          </pre>
        </div>
      )}
      {result !== null && <RunOutcome result={result} onResolve={onResolve} />}
      <ErrorMessage error={error} />
    </Dialog>
  );
}
