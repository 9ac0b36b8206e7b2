/**
 * Test helpers for code built on the model marketplace node library.
 *
 * @packageDocumentation
 */

export { capturingLogger } from './capturingLogger';
