/**
 * Annotations that write a concurrency rule next to what it governs; shared by every module
 * (core is the one module all others depend on).
 */
package io.jzram.core.concurrent;
