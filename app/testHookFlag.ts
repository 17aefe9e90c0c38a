// Whether the page installs its test hook (`window.__gcrl`): only when asked for, by `?testhook=1`
// in the URL or by building with VITE_GCRL_TESTHOOK=1; a production build has no hook by default.
export function wantsTestHook(search: string, buildFlag: string | undefined): boolean {
  return buildFlag === '1' || new URLSearchParams(search).get('testhook') === '1';
}
