/**
 * Pre-trade risk: per-account limits on the notional of one order and on the gross notional traded
 * over a rolling window, in euros at fixed reference rates. Pure logic; the clock is passed in.
 */
package dev.firemesh.examples.trading.risk.domain;
