// What the page finds on `window` besides the DOM (hand-written; the Rust
// side's types are in generated.d.ts).
interface Window {
  /** Tauri's global API (`app.withGlobalTauri`); absent when the page is opened outside the app. */
  __TAURI__: any;
  /** Content-Security-Policy violations, for the e2e tests to check. */
  houqinCspViolations: string[];
}
