/**
 * Registers the offline cache (public/sw.js) in built apps; it caches the whole site on install.
 * Resolves once a service worker is active (tests wait for the attribute main.tsx sets).
 */
export async function enableOffline(): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return false;
  await navigator.serviceWorker.register('./sw.js');
  await navigator.serviceWorker.ready;
  return true;
}
