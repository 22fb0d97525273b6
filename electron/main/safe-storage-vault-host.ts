/**
 * Main's side of the engine worker's password vault: `safeStorage` (the OS keychain) exists in the
 * main process only, so the worker asks over its parent port (transports/ipc/request-reply.ts) and
 * main answers here.
 */
import { safeStorage, type UtilityProcess } from 'electron';
import { safeStorageVaultHandlers } from '../transports/ipc/password-vault-requests.ts';
import { answerRequest } from '../transports/ipc/request-reply.ts';

/** Answers `child`'s vault requests; other messages are left to `otherwise`. */
export function hostSafeStorageVault(child: UtilityProcess, otherwise: (message: unknown) => void): void {
  const handlers = safeStorageVaultHandlers(safeStorage, process.platform);
  child.on('message', (message: unknown) => {
    void answerRequest(message, handlers, (reply) => child.postMessage(reply)).then((answered) => {
      if (!answered) otherwise(message);
    });
  });
}
