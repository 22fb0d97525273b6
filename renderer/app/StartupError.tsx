/** Shown when the page cannot reach the engine at all (browser mode without its token). */
export function StartupError({ message }: { message: string }) {
  return (
    <main className="startup-error" role="alert">
      <h1>Stratum cannot start</h1>
      <p>{message}</p>
    </main>
  );
}
