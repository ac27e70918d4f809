/// <reference types="vite/client" />
// The app's own functions that the examples call: what a reader fills in. Only such names belong
// here, never an SDK value (an example must import or make those itself).

/** The app's check of a support agent's session cookie (relay examples). */
declare function isSignedInAgent(cookie: string | null): boolean

/** The app's session store (relay examples). */
declare const sessions: { find(cookie: string | null): Promise<object | undefined> }

/** The page's own UI (browser examples). */
declare function showFieldErrors(issues: ReadonlyArray<unknown>): void
declare function showBanner(text: string): void
declare function offerRetry(safe: boolean): void
