/** The shared counting semaphore (`src/semaphore.ts`): session pools queue model runs on it. */
export { abortReason, createSemaphore, type Semaphore } from '../semaphore.js';
